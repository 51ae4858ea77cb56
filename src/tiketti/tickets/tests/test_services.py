import pytest

from tiketti.tickets import services
from tiketti.tickets.errors import InvalidTransition, StaleTicket, TicketError
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


@pytest.fixture
def ticket(main_user):
    return submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Help", body_text="Hi")
    ).ticket


def reply(ticket, author, text="Answer", **kwargs):
    return services.post_message(
        ticket=ticket, author=author, body_text=text, channel="portal", **kwargs
    )


def test_agent_reply_waits_for_the_customer(ticket, agent):
    reply(ticket, agent)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_customer_reply_reopens_solved_ticket(ticket, agent, main_user):
    reply(ticket, agent, new_status=Ticket.Status.SOLVED)
    reply(ticket, main_user, "It broke again")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    kinds = list(
        ticket.events.filter(kind=TicketEvent.Kind.STATUS).values_list("new_value", flat=True)
    )
    assert kinds == ["solved", "open"]


def test_internal_note_changes_no_status(ticket, agent):
    reply(ticket, agent, "Looks like a config issue", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW
    assert ticket.events.filter(kind=TicketEvent.Kind.NOTE).count() == 1


def test_customer_cannot_write_internal_notes(ticket, main_user):
    with pytest.raises(TicketError):
        reply(ticket, main_user, is_internal=True)


def test_empty_reply_is_refused(ticket, agent):
    with pytest.raises(TicketError) as caught:
        reply(ticket, agent, "   ")
    assert caught.value.code == "empty_message"


def test_customer_cannot_reply_to_a_closed_ticket(ticket, agent, main_user):
    services.change_status(ticket=ticket, actor=agent, status="solved")
    services.change_status(ticket=ticket, actor=agent, status="closed")
    with pytest.raises(TicketError) as caught:
        reply(ticket, main_user, "one more thing")
    assert caught.value.code == "ticket_closed"
    assert ticket.messages.count() == 1


def test_invalid_status_change_is_refused_and_nothing_changes(ticket, agent):
    with pytest.raises(InvalidTransition):
        services.change_status(ticket=ticket, actor=agent, status="closed")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_stale_edit_is_refused(ticket, agent):
    seen_version = ticket.version
    reply(ticket, agent)  # someone else answered meanwhile
    with pytest.raises(StaleTicket):
        services.change_status(
            ticket=ticket, actor=agent, status="solved", expected_version=seen_version
        )


def test_assigning_opens_a_new_ticket_and_is_logged(ticket, agent, team):
    services.assign_ticket(ticket=ticket, actor=agent, assignee=agent, team=team)
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.status == Ticket.Status.OPEN
    logged = {(e.kind, e.new_value) for e in ticket.events.all()}
    assert (TicketEvent.Kind.ASSIGNEE, str(agent)) in logged
    assert (TicketEvent.Kind.STATUS, "open") in logged


def test_only_staff_can_be_assigned(ticket, agent, main_user):
    with pytest.raises(TicketError):
        services.assign_ticket(ticket=ticket, actor=agent, assignee=main_user, team=None)


def test_update_ticket_is_all_or_nothing(ticket, agent, category):
    with pytest.raises(InvalidTransition):
        services.update_ticket(
            ticket=ticket,
            actor=agent,
            status="closed",
            priority="high",
            category=category,
            team=None,
            assignee=agent,
        )
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.category, ticket.assignee) == ("normal", None, None)


def test_events_are_append_only(ticket):
    event = ticket.events.first()
    event.new_value = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
