"""What staff are told about tickets, and how: each agent chooses e-mail (and the desk)
or the desk only (`User.notification_delivery`). Every notice is listed in the desk's
header (`tickets.StaffNotice`); e-mail goes to those who chose it, and to on-call staff
about acute incidents whatever they chose.

- a new ticket: its assignee (routing gave it to them), else its team's members;
- an acute one: everyone on call as well, at once;
- an assignment by someone else: the new assignee;
- a customer's reply: the assignee (`notifications.announce_message`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from tiketti.accounts.models import User
from tiketti.tickets.models import Message, StaffNotice, Ticket, TicketEvent

from .services import send_email

TEMPLATES: dict[str, str] = {
    StaffNotice.Kind.NEW_TICKET: "staff-new-ticket",
    StaffNotice.Kind.ASSIGNED: "staff-assigned",
    StaffNotice.Kind.CUSTOMER_REPLY: "customer-reply",
    StaffNotice.Kind.ACUTE: "staff-acute",
}


def tell_staff(
    people: Iterable[User],
    ticket: Ticket,
    kind: str,
    *,
    context: dict[str, Any] | None = None,
    always_email: bool = False,
    thread: list[str] | None = None,
) -> list[User]:
    """Give each active staff member a desk notice, and an e-mail if they chose e-mail
    (or `always_email`). Returns whom it told. Call inside a transaction."""
    told: list[User] = []
    for person in people:
        if not person.is_agent or person in told:
            continue
        told.append(person)
    StaffNotice.objects.bulk_create(
        StaffNotice(recipient=person, ticket=ticket, kind=kind) for person in told
    )
    for person in told:
        if always_email or person.notification_delivery == User.Delivery.EMAIL:
            send_email(
                template=TEMPLATES[kind],
                recipient=person,
                context=context or {},
                ticket=ticket,
                thread=thread,
            )
    return told


def announce_new_ticket(ticket_id: int) -> None:
    """Tell staff of a new ticket (a held one when it is accepted)."""
    ticket = Ticket.objects.select_related("assignee", "team", "organisation").get(pk=ticket_id)
    if ticket.held_reason:
        return
    # Whoever entered it (a phone call logged, a staff token) knows of it already.
    entered_by = (
        ticket.events.filter(kind=TicketEvent.Kind.CREATED)
        .values_list("actor_id", flat=True)
        .first()
    )
    with transaction.atomic():
        told: list[User] = []
        if ticket.is_acute:
            told = tell_staff(
                User.objects.on_call(), ticket, StaffNotice.Kind.ACUTE, always_email=True
            )
        if ticket.assignee is not None:
            people: Iterable[User] = [ticket.assignee]
            kind = StaffNotice.Kind.ASSIGNED
        elif ticket.team is not None:
            people = ticket.team.members.staff_members()
            kind = StaffNotice.Kind.NEW_TICKET
        else:
            return
        tell_staff([p for p in people if p not in told and p.pk != entered_by], ticket, kind)


def announce_assignment(ticket_id: int, assignee_id: int) -> None:
    ticket = Ticket.objects.select_related("assignee").get(pk=ticket_id)
    if ticket.assignee_id != assignee_id or ticket.assignee is None:
        return  # reassigned again meanwhile: that assignment has its own notice
    with transaction.atomic():
        tell_staff([ticket.assignee], ticket, StaffNotice.Kind.ASSIGNED)


def announce_customer_reply(message: Message, thread: list[str]) -> None:
    ticket = message.ticket
    if ticket.assignee is None or ticket.assignee_id == message.author_id:
        return
    tell_staff(
        [ticket.assignee],
        ticket,
        StaffNotice.Kind.CUSTOMER_REPLY,
        context={"message": message},
        thread=thread,
    )
