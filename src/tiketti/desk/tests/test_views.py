import re

import pytest
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


def file_ticket(requester, subject="Kassa ei toimi", **fields):
    return submit_request(
        IntakeRequest(
            channel="portal", requester=requester, subject=subject, body_text="Hi", **fields
        )
    ).ticket


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"  # assertions below read the English messages
    agent.save()
    client.force_login(agent)
    return client


def test_customers_cannot_see_the_desk(client, main_user):
    client.force_login(main_user)
    assert client.get(reverse("desk:queue")).status_code == 404


def test_queue_filters_by_status_assignee_and_search(agent_client, agent, main_user, stranger):
    mine = file_ticket(main_user, "Kassa ei toimi")
    mine.assignee = agent
    mine.save()
    other = file_ticket(stranger, "Faktura")
    response = agent_client.get(reverse("desk:queue"), {"assignee": "me"})
    assert list(response.context["page"].object_list) == [mine]
    response = agent_client.get(reverse("desk:queue"), {"q": other.number})
    assert list(response.context["page"].object_list) == [other]
    response = agent_client.get(reverse("desk:queue"), {"q": "kassa"})
    assert list(response.context["page"].object_list) == [mine]
    response = agent_client.get(reverse("desk:queue"), {"organisation": stranger.organisation_id})
    assert list(response.context["page"].object_list) == [other]


def test_queue_rejects_unknown_filter_values_clearly(agent_client, main_user):
    file_ticket(main_user)
    response = agent_client.get(reverse("desk:queue"), {"status": "bogus"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]


def test_queue_query_count_is_constant(agent_client, main_user, django_assert_max_num_queries):
    for index in range(40):
        file_ticket(main_user, f"matter {index}")
    # The views beside the queue and their counts add a fixed five (see test_queue_views),
    # the header's count of unread notices one.
    with django_assert_max_num_queries(16):
        response = agent_client.get(reverse("desk:queue"))
    assert len(response.context["page"].object_list) == 40


def test_queue_htmx_request_gets_only_the_results(agent_client, main_user):
    file_ticket(main_user)
    response = agent_client.get(reverse("desk:queue"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue-results">')
    assert "<html" not in body


def test_agent_replies_and_the_ticket_waits(agent_client, main_user):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {"body": "Korjattu", "is_internal": "0", "status": "", "version": ticket.version},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert ticket.messages.last().body_text == "Korjattu"


def test_agent_adds_internal_note(agent_client, main_user):
    ticket = file_ticket(main_user)
    agent_client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {"body": "Muistiinpano", "is_internal": "1", "status": "", "version": ticket.version},
    )
    assert ticket.messages.last().is_internal


def test_stale_reply_form_is_refused_with_a_message(agent_client, main_user, agent):
    ticket = file_ticket(main_user)
    stale_version = ticket.version
    agent_client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {"body": "First", "is_internal": "0", "version": stale_version},
    )
    response = agent_client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {"body": "Second", "is_internal": "0", "version": stale_version},
    )
    assert response.status_code == 400
    assert "Reload" in response.content.decode()
    assert ticket.messages.count() == 2


def test_properties_are_saved_through_htmx(agent_client, agent, main_user, category, team):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {
            "status": "open",
            "priority": "high",
            "category": category.pk,
            "team": team.pk,
            "assignee": agent.pk,
            "version": ticket.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card" id="properties"')
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.category, ticket.assignee) == (
        "open",
        "high",
        category,
        agent,
    )
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {
        TicketEvent.Kind.PRIORITY,
        TicketEvent.Kind.CATEGORY,
        TicketEvent.Kind.ASSIGNEE,
    } <= kinds


def test_invalid_status_change_in_properties_is_explained(agent_client, main_user):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {"status": "closed", "priority": "normal", "version": ticket.version},
    )
    assert response.status_code == 409
    assert "cannot become" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_assignee_must_be_staff(agent_client, main_user):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {
            "status": "new",
            "priority": "normal",
            "assignee": main_user.pk,
            "version": ticket.version,
        },
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_ticket_page_shows_history_and_notes(agent_client, main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=main_user, body_text="More", channel="portal")
    response = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number]))
    assert response.status_code == 200
    assert response.context["history"][0].text == f"opened the ticket {ticket.number}"
    message = ticket.messages.last()
    history = response.content.decode().partition('<ol class="history"')[2]
    assert "Maija Virtanen: replied" in history and f"{message.pk}<" not in history  # no ids


def test_inactive_agent_cannot_use_the_desk(client, main_user):
    former = UserFactory(agent=True, is_active=False)
    client.force_login(former)
    assert client.get(reverse("desk:queue")).status_code in (302, 404)


def test_queue_shows_deadlines_and_filters_breaching_tickets(agent_client, main_user):
    from datetime import timedelta

    from tiketti.sla.models import BusinessCalendar, SlaPolicy
    from tiketti.tickets import deadlines

    calendar = BusinessCalendar.objects.create(
        name="always",
        definition={
            "tz": "UTC",
            "hours": {
                d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        },
    )
    SlaPolicy.objects.create(
        name="4h", first_response_target="4h", first_response_calendar=calendar
    )
    fresh = file_ticket(main_user, "fresh")
    late = file_ticket(main_user, "late")
    late.created_at -= timedelta(hours=5)
    deadlines.refresh_sla(late)
    late.save()
    page = agent_client.get(reverse("desk:queue")).content.decode()
    assert "sla-overdue" in page and "sla-ok" in page
    response = agent_client.get(reverse("desk:queue"), {"sla": "overdue"})
    assert list(response.context["page"].object_list) == [late]
    detail = agent_client.get(reverse("desk:ticket-detail", args=[fresh.number])).content.decode()
    assert "4h" in detail and "first response" in detail.lower()


def test_received_mail_page_lists_held_mail_and_retries_after_a_fix(agent_client, organisation):
    from tiketti.mail import inbound
    from tiketti.mail.models import InboundMessage

    raw = b"From: newcomer@partner.example\r\nSubject: Hello\r\n\r\nPlease help\r\n"
    row, _ = inbound.store_raw(raw, via="pipe")
    inbound.process(row.pk)
    page = agent_client.get(reverse("desk:mail-queue"))
    assert "newcomer@partner.example" in page.content.decode()
    organisation.domains.create(domain="partner.example")  # the fix: a customer domain
    response = agent_client.post(reverse("desk:mail-retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == InboundMessage.Status.PROCESSED and row.ticket is not None
    assert (
        "newcomer@partner.example"
        not in agent_client.get(reverse("desk:mail-queue")).content.decode()
    )


def test_discarded_mail_stays_stored(agent_client):
    from tiketti.mail import inbound
    from tiketti.mail.models import InboundMessage

    row, _ = inbound.store_raw(b"From: x@y.example\r\nSubject: s\r\n\r\nb\r\n", via="pipe")
    inbound.process(row.pk)
    agent_client.post(reverse("desk:mail-discard", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == InboundMessage.Status.DROPPED and bytes(row.raw)


def visible_text(html):
    """The page without attribute values (a code in a title attribute is only a hint)."""
    return re.sub(r'\s(?:title|href|action|value)="[^"]*"', "", html)


def test_received_mail_page_shows_reasons_in_the_agents_language(client, agent, main_user):
    from tiketti.mail import inbound

    number = file_ticket(main_user).number  # which a stranger writes to
    held = [
        b"From: newcomer@partner.example\r\nSubject: Hello\r\n\r\nPlease help\r\n",
        f"From: anna@bursztyn.example\r\nSubject: Re: [{number}] x\r\n\r\nMe too\r\n".encode(),
    ]
    for raw in held:
        inbound.process(inbound.store_raw(raw, via="pipe")[0].pk)
    client.force_login(agent)  # Finnish
    page = client.get(reverse("desk:mail-queue")).content.decode()
    assert "tuntematon lähettäjä" in page
    assert "lähettäjä ei ole osallisena tiketissä" in page
    text = visible_text(page)
    assert "unknown_requester" not in text and "sender_not_on_ticket" not in text
    assert 'title="unknown_requester"' in page  # the code, for whoever reads the logs


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "Käsitelty uudelleen: pysäytetty – tuntematon lähettäjä"),
        ("pl", "Przetworzono ponownie: wstrzymano – nieznany nadawca"),
        ("en", "Processed again: held – unknown sender"),
    ],
)
def test_processing_again_says_what_happened_in_the_agents_language(
    client, agent, language, expected
):
    from tiketti.mail import inbound

    raw = b"From: newcomer@partner.example\r\nSubject: Hello\r\n\r\nPlease help\r\n"
    row, _ = inbound.store_raw(raw, via="pipe")
    inbound.process(row.pk)
    agent.language = language
    agent.save()
    client.force_login(agent)
    response = client.post(reverse("desk:mail-retry", args=[row.pk]), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message == expected
    assert "unknown_requester" not in visible_text(response.content.decode())


def test_processing_again_names_the_ticket_it_made_and_why_it_waits(client, agent, organisation):
    from tiketti.mail import inbound

    raw = b"From: newcomer@partner.example\r\nSubject: Hello\r\n\r\nPlease help\r\n"
    row, _ = inbound.store_raw(raw, via="pipe")
    inbound.process(row.pk)
    organisation.domains.create(domain="partner.example")
    client.force_login(agent)
    response = client.post(reverse("desk:mail-retry", args=[row.pk]), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    number = Ticket.objects.get().number
    # A newcomer is no main user: the ticket waits for staff to accept it.
    assert message == (
        f"Käsitelty uudelleen: {number} odottaa hyväksyntää – lähettäjä ei ole pääkäyttäjä"
    )


def test_agent_removes_personal_data_from_a_message(agent_client, main_user, agent):
    from tiketti.mail import inbound

    raw = (
        b"From: maija@aurora.example\r\nSubject: Tunnus\r\nMessage-ID: <p1@aurora.example>\r\n\r\n"
        b"Tunnukseni on 131052-308T\r\n"
    )
    row, _ = inbound.store_raw(raw, via="pipe")
    ticket = inbound.process(row.pk).ticket
    detail = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "131052-308T" in detail and "message-redact" not in detail  # url name is not shown
    message = ticket.messages.get()
    response = agent_client.post(reverse("desk:message-redact", args=[ticket.number, message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert "131052-****" in message.body_text
    after = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "Remove them from the messages below" not in after  # nothing left to remove
    original = reverse("desk:message-original", args=[ticket.number, message.pk])
    response = agent_client.get(original, follow=True)  # deleted with the code: said so
    assert response.redirect_chain[0][0].endswith(f"/tickets/{ticket.number}/")
    assert "deleted when personal data was removed" in response.content.decode()


def test_held_mail_is_read_before_staff_decide(agent_client):
    from tiketti.mail import inbound

    raw = (
        b"From: Mallory <mallory@evil.example>\r\nTo: support@tiketti.localhost\r\n"
        b"Subject: Change our bank account\r\nContent-Type: text/html\r\n\r\n"
        b"<p>New IBAN: FI00 1234</p><script>alert(1)</script>\r\n"
    )
    row, _ = inbound.store_raw(raw, via="pipe")
    inbound.process(row.pk)
    queue = agent_client.get(reverse("desk:mail-queue")).content.decode()
    detail_url = reverse("desk:mail-detail", args=[row.pk])
    assert detail_url in queue
    page = agent_client.get(detail_url).content.decode()
    assert "New IBAN: FI00 1234" in page and "<script>alert" not in page
    assert "Unknown sender" in page or "unknown sender" in page
    original = agent_client.get(reverse("desk:mail-original", args=[row.pk]))
    assert original["Content-Type"] == "message/rfc822" and original.content == raw


def test_only_held_or_failed_mail_has_a_page_on_the_mail_queue(agent_client, main_user):
    from tiketti.mail import inbound

    raw = b"From: maija@aurora.example\r\nSubject: Kassa\r\n\r\nHei\r\n"
    row, _ = inbound.store_raw(raw, via="pipe")
    assert inbound.process(row.pk).ticket is not None  # on a ticket: read it there
    assert agent_client.get(reverse("desk:mail-detail", args=[row.pk])).status_code == 404
    assert agent_client.get(reverse("desk:mail-original", args=[row.pk])).status_code == 404


def test_customers_cannot_redact_or_see_the_mail_page(client, main_user):
    client.force_login(main_user)
    assert client.get(reverse("desk:mail-queue")).status_code == 404
    assert client.get(reverse("desk:mail-detail", args=[1])).status_code == 404


def test_staff_can_download_the_original_email(agent_client, main_user, client):
    from tiketti.mail import inbound

    raw = b"From: maija@aurora.example\r\nSubject: Q\r\n\r\nNew text\r\n\r\n> quoted history\r\n"
    row, _ = inbound.store_raw(raw, via="pipe")
    ticket = inbound.process(row.pk).ticket
    message = ticket.messages.get()
    url = reverse("desk:message-original", args=[ticket.number, message.pk])
    assert (
        "original e-mail"
        in agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    )
    response = agent_client.get(url)
    assert response.status_code == 200 and response.content == raw
    assert response["Content-Type"] == "message/rfc822"


@pytest.mark.parametrize(
    ("language", "empty_choices"),
    [
        ("fi", ["ei aihetta", "ei tiimiä", "ei kukaan"]),
        ("pl", ["bez kategorii", "bez zespołu", "nikt"]),
    ],
)
def test_a_ticket_without_category_team_or_assignee_says_so_in_the_agents_language(
    client, agent, main_user, language, empty_choices
):
    """Django 6.1's own empty choice, "- Select an option -", has no Finnish or Polish."""
    agent.language = language
    agent.save()
    client.force_login(agent)
    ticket = file_ticket(main_user)
    ticket.team = None
    ticket.save()
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "Select an option" not in page
    for label in empty_choices:
        assert f'<option value="" selected>{label}</option>' in page


def test_the_queue_says_how_many_held_requests_wait_for_acceptance(agent_client, main_user):
    file_ticket(main_user, "Shown")
    held = file_ticket(main_user, "From an ordinary user")
    Ticket.objects.filter(pk=held.pk).update(held_reason="not_main_user")
    page = agent_client.get(reverse("desk:queue")).content.decode()
    assert "1 request waits for acceptance" in page and "?status=held" in page
    assert held.number not in page  # not in the default queue until accepted
    filtered = agent_client.get(reverse("desk:queue"), {"status": "held"}).content.decode()
    assert held.number in filtered and "waits for acceptance" not in filtered
