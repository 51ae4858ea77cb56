"""Development ideas: a category for ideas starts one, staff link other tickets to it
(each organisation is a vote), and status changes reach every requester in their
language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.mail.models import OutgoingEmail
from tiketti.tickets.errors import NotAllowed, TicketError
from tiketti.tickets.ideas import change_idea_status, ideas_with_votes, make_idea
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Category, Idea, TicketEvent
from tiketti.tickets.tests.factories import CategoryFactory


@pytest.fixture
def ideas_category(db):
    return CategoryFactory(slug="idea", name_en="Development idea", handling=Category.Handling.IDEA)


def _file(requester, subject, **fields):
    request = IntakeRequest(
        channel=fields.pop("channel", "portal"),
        requester=requester,
        subject=subject,
        body_text="Olisi kätevää, jos raportin voisi viedä Exceliin.",
        **fields,
    )
    return submit_request(request).created_ticket


def test_a_request_in_the_ideas_category_starts_an_idea(main_user, ideas_category):
    ticket = _file(main_user, "Raportti Exceliin", category_slug="idea")
    idea = ticket.idea
    assert (idea.title, idea.status) == ("Raportti Exceliin", Idea.Status.NEW)
    assert "Exceliin" in idea.description
    assert ticket.events.filter(kind=TicketEvent.Kind.IDEA, new_value=str(idea.pk)).exists()


def test_two_organisations_vote_and_both_requesters_hear_of_the_status_in_their_language(
    main_user, stranger, agent, ideas_category, django_capture_on_commit_callbacks
):
    first = _file(main_user, "Raportti Exceliin", category_slug="idea")
    # Anna (Polish, another organisation) asks for the same by e-mail, without a category:
    # staff link her ticket to the idea, and her organisation votes for it.
    second = _file(stranger, "Eksport raportu do Excela", channel="email")
    assert second.idea is None
    make_idea(ticket=second, actor=agent, idea=first.idea)
    # A colleague of Maija asking again adds no vote.
    third = _file(main_user, "Excel-vienti", channel="api")
    make_idea(ticket=third, actor=agent, idea=first.idea)

    [listed] = ideas_with_votes()
    assert (listed.vote_count, listed.ticket_count) == (2, 3)

    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        change_idea_status(idea=first.idea, actor=agent, status=Idea.Status.PLANNED)
    sent = {email.to: email for email in OutgoingEmail.objects.filter(template="idea-status")}
    assert sorted(sent) == sorted([main_user.email, stranger.email])  # Maija once
    assert sent[main_user.email].subject == (
        "Kehitysideasi ”Raportti Exceliin” on nyt tilassa: suunniteltu"
    )
    assert sent[stranger.email].subject == (
        "Twój pomysł rozwojowy „Raportti Exceliin” ma teraz status: zaplanowany"
    )


def test_an_unchanged_status_tells_nobody(
    main_user, agent, ideas_category, django_capture_on_commit_callbacks
):
    ticket = _file(main_user, "Idea", category_slug="idea")
    with django_capture_on_commit_callbacks(execute=True):
        change_idea_status(idea=ticket.idea, actor=agent, status=Idea.Status.NEW)
    assert not OutgoingEmail.objects.filter(template="idea-status").exists()


def test_only_staff_manage_ideas_and_a_ticket_is_linked_once(main_user, agent, ideas_category):
    ticket = _file(main_user, "Idea", category_slug="idea")
    with pytest.raises(NotAllowed):
        change_idea_status(idea=ticket.idea, actor=main_user, status=Idea.Status.DONE)
    with pytest.raises(TicketError) as caught:
        make_idea(ticket=ticket, actor=agent, idea=ticket.idea)
    assert caught.value.code == "already_linked"
    with pytest.raises(TicketError):
        change_idea_status(idea=ticket.idea, actor=agent, status="maybe")


def test_staff_make_any_ticket_an_idea_and_change_its_status_in_the_desk(
    client, main_user, stranger, agent, django_capture_on_commit_callbacks
):
    ticket = _file(main_user, "Tumma teema")
    client.force_login(agent)
    response = client.post(reverse("desk:ticket-idea", args=[ticket.number]), {"idea": ""})
    assert response.status_code == 302
    ticket.refresh_from_db()
    idea = ticket.idea
    other = _file(stranger, "Ciemny motyw")
    client.post(reverse("desk:ticket-idea", args=[other.number]), {"idea": idea.pk})
    listing = client.get(reverse("desk:ideas")).content.decode()
    assert "Tumma teema" in listing
    detail = client.get(reverse("desk:idea-detail", args=[idea.pk])).content.decode()
    assert "Aurora Oy" in detail and "Bursztyn" in detail
    assert ticket.number in detail and other.number in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:idea-detail", args=[idea.pk]), {"status": "declined"})
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED
    assert OutgoingEmail.objects.filter(template="idea-status").count() == 2


def test_customers_cannot_see_the_idea_list(client, main_user):
    client.force_login(main_user)
    assert client.get(reverse("desk:ideas")).status_code == 404


def test_the_idea_list_costs_the_same_queries_however_many_ideas(
    client, main_user, stranger, agent, ideas_category
):
    client.force_login(agent)
    counts = []
    for more in (1, 6):
        for n in range(more):
            ticket = _file(main_user, f"Idea {n}", category_slug="idea")
            make_idea(ticket=_file(stranger, f"Pomysł {n}"), actor=agent, idea=ticket.idea)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("desk:ideas"))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The list is the page's first table (the keyboard overlay's comes after it).
    ideas_table = page.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
    assert ideas_table.count("<tr>") == 1 + 7  # the head row and each idea
