"""Bulk changes: each ticket through the services, with its own history and outcome."""

import pytest

from tiketti.accounts.tests.factories import UserFactory
from tiketti.tickets import services
from tiketti.tickets.bulk import BulkChange, change_tickets
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def file_ticket(requester, subject="Kassa ei toimi"):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    return submit_request(request).ticket


def test_bulk_assign_records_history_on_each_ticket_and_opens_new_ones(main_user, agent):
    colleague = UserFactory(agent=True, display_name="Pekka Agent")
    tickets = [file_ticket(main_user, f"Asia {index}") for index in range(3)]
    outcome = change_tickets(
        actor=agent, numbers=[t.number for t in tickets], change=BulkChange(assignee=colleague)
    )
    assert [t.number for t in outcome.changed] == [t.number for t in tickets]
    assert outcome.failed == []
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee == colleague
        assert ticket.status == Ticket.Status.OPEN  # assigning a new ticket opens it
        events = ticket.events.filter(kind=TicketEvent.Kind.ASSIGNEE)
        assert [(e.actor, e.new_value) for e in events] == [(agent, str(colleague))]


def test_one_ticket_that_cannot_change_does_not_stop_the_others(main_user, agent):
    open_ticket = file_ticket(main_user, "Auki")
    closed = file_ticket(main_user, "Suljettu")
    for status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
        closed = services.change_status(ticket=closed, actor=agent, status=status)
    outcome = change_tickets(
        actor=agent,
        numbers=[open_ticket.number, closed.number, "XX-1"],
        change=BulkChange(status=Ticket.Status.WAITING),
    )
    assert [t.number for t in outcome.changed] == [open_ticket.number]
    assert [number for number, _ in outcome.failed] == [closed.number, "XX-1"]
    closed.refresh_from_db()
    assert closed.status == Ticket.Status.CLOSED


def test_bulk_category_and_priority_refresh_the_sla_and_route(main_user, agent, category):
    ticket = file_ticket(main_user)
    change_tickets(
        actor=agent,
        numbers=[ticket.number],
        change=BulkChange(category=category, priority=Ticket.Priority.HIGH),
    )
    ticket.refresh_from_db()
    assert (ticket.category, ticket.priority, ticket.team) == (category, "high", category.team)
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {TicketEvent.Kind.CATEGORY, TicketEvent.Kind.PRIORITY} <= kinds


def test_customers_cannot_bulk_change(main_user):
    ticket = file_ticket(main_user)
    outcome = change_tickets(
        actor=main_user, numbers=[ticket.number], change=BulkChange(priority="urgent")
    )
    assert outcome.changed == []
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.NORMAL


def test_an_empty_change_is_false():
    assert not BulkChange()
    assert BulkChange(assignee=None)
