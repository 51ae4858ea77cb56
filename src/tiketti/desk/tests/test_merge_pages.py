"""The desk's merge and split: the ticket page's forms, the queue's bulk merge, and the
merged number leading on to the survivor in the desk and the portal."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.merging import merge_tickets
from tiketti.tickets.models import Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

NO_CHANGE = {"assignee": "", "status": "", "category": "", "priority": ""}


def file_ticket(requester, subject="Kassa ei toimi", body="Hi"):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text=body)
    return submit_request(request).ticket


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client


def test_bulk_merge_moves_every_selected_ticket_into_the_chosen_one(agent_client, main_user):
    target = file_ticket(main_user, "Pääasia")
    others = [file_ticket(main_user, f"Sama asia {index}") for index in range(3)]
    messages_before = Message.objects.count()
    response = agent_client.post(
        reverse("desk:bulk"),
        {
            **NO_CHANGE,
            # The target may be among the selected: it stays.
            "tickets": [target.number, *(t.number for t in others)],
            "merge_into": target.number.lower(),
        },
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"3 tickets merged into {target.number}"
    ]
    assert target.messages.count() == messages_before == 4
    for ticket in others:
        ticket.refresh_from_db()
        assert (ticket.merged_into, ticket.status) == (target, Ticket.Status.CLOSED)
    assert target.events.filter(kind=TicketEvent.Kind.MERGED_FROM).count() == 3


def test_bulk_merge_reports_the_ones_it_could_not_merge(agent_client, main_user, stranger):
    target, mine, foreign = file_ticket(main_user), file_ticket(main_user), file_ticket(stranger)
    response = agent_client.post(
        reverse("desk:bulk"),
        {**NO_CHANGE, "tickets": [mine.number, foreign.number], "merge_into": target.number},
    )
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes[0] == f"1 ticket merged into {target.number}"
    assert notes[1].startswith(f"{foreign.number} not changed: Tickets {foreign.number} and")
    foreign.refresh_from_db()
    assert foreign.merged_into is None


def test_bulk_merge_and_a_change_at_once_is_refused(agent_client, main_user):
    target, other = file_ticket(main_user), file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:bulk"),
        {**NO_CHANGE, "priority": "high", "tickets": [other.number], "merge_into": target.number},
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Merge the tickets, or change them: not both at once."
    ]
    other.refresh_from_db()
    assert other.merged_into is None


def test_merge_form_on_the_ticket_page(agent_client, main_user):
    merged, survivor = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    page = agent_client.get(reverse("desk:ticket-detail", args=[merged.number]))
    assert b'name="into"' in page.content

    response = agent_client.post(
        reverse("desk:ticket-merge", args=[merged.number]), {"into": survivor.number}
    )
    assert response["Location"] == reverse("desk:ticket-detail", args=[survivor.number])
    merged.refresh_from_db()
    assert merged.merged_into == survivor


@pytest.mark.parametrize(
    ("into", "error"),
    [("TK-999999", "There is no ticket TK-999999."), ("self", "cannot be merged into itself")],
)
def test_merge_form_errors_show_on_the_page(agent_client, main_user, into, error):
    ticket = file_ticket(main_user)
    into = ticket.number if into == "self" else into
    response = agent_client.post(reverse("desk:ticket-merge", args=[ticket.number]), {"into": into})
    assert response.status_code == 400
    assert error in response.content.decode()


def test_split_form_on_the_ticket_page(agent_client, agent, main_user):
    ticket = file_ticket(main_user, "Kaksi asiaa")
    submit_request(
        IntakeRequest(
            channel="portal", requester=main_user, subject="", body_text="Toinen", ticket=ticket
        )
    )
    second = ticket.messages.order_by("pk").last()
    page = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number]))
    assert f'value="{second.pk}"'.encode() in page.content

    response = agent_client.post(
        reverse("desk:ticket-split", args=[ticket.number]),
        {"messages": [second.pk], "subject": "Toinen asia"},
    )
    new = Ticket.objects.get(subject="Toinen asia")
    assert response["Location"] == reverse("desk:ticket-detail", args=[new.number])
    assert list(new.messages.all()) == [second]
    all_ids = list(ticket.messages.values_list("pk", flat=True))
    refused = agent_client.post(
        reverse("desk:ticket-split", args=[ticket.number]), {"messages": all_ids}
    )
    assert refused.status_code == 400
    assert "Leave at least one message" in refused.content.decode()


def test_the_merged_number_leads_to_the_survivor_in_desk_and_portal(client, agent, main_user):
    merged, survivor = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    merge_tickets(ticket=merged, into=survivor, actor=agent)
    client.force_login(agent)
    response = client.get(reverse("desk:ticket-detail", args=[merged.number]))
    assert response["Location"] == reverse("desk:ticket-detail", args=[survivor.number])
    client.force_login(main_user)
    response = client.get(reverse("portal:ticket-detail", args=[merged.number]))
    assert response["Location"] == reverse("portal:ticket-detail", args=[survivor.number])
