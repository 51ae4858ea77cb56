"""Changing many tickets at once: the desk's bulk actions on selected queue rows.

Each ticket goes through `tickets.services` on its own (its row lock, its history, its
SLA rules, its own transaction) after `tickets.access` lets the actor see it, so one
ticket that cannot change (a closed ticket cannot be reopened) does not stop the others;
the outcome says which changed and why the others did not.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tiketti.accounts.models import User

from . import merging, services
from .access import get_ticket_for_agent
from .errors import TicketError
from .models import Category, Ticket

# At most this many tickets in one request (a page of the queue is 50).
MAX_TICKETS = 100


class Keep(enum.Enum):
    """Leave this property as each ticket has it."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class BulkChange:
    assignee: User | Keep | None = KEEP
    status: str | Keep = KEEP
    category: Category | Keep | None = KEEP
    priority: str | Keep = KEEP

    def __bool__(self) -> bool:
        return any(value is not KEEP for value in vars(self).values())


@dataclass
class BulkOutcome:
    changed: list[Ticket] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # number, reason


def change_tickets(*, actor: User, numbers: Sequence[str], change: BulkChange) -> BulkOutcome:
    """Apply `change` to each ticket named by number that `actor` may work on."""
    outcome = BulkOutcome()
    for number in list(dict.fromkeys(numbers))[:MAX_TICKETS]:
        try:
            ticket = get_ticket_for_agent(actor, number)
            outcome.changed.append(_change_one(ticket, actor, change))
        except Http404:
            outcome.failed.append((number, _("no such ticket")))
        except TicketError as error:
            outcome.failed.append((number, error.message))
    return outcome


def _change_one(ticket: Ticket, actor: User, change: BulkChange) -> Ticket:
    with transaction.atomic():
        if change.category is not KEEP or change.priority is not KEEP:
            ticket = services.classify_ticket(
                ticket=ticket,
                actor=actor,
                category=ticket.category if change.category is KEEP else change.category,
                priority=ticket.priority if change.priority is KEEP else change.priority,
            )
        if change.assignee is not KEEP:
            ticket = services.assign_ticket(
                ticket=ticket, actor=actor, assignee=change.assignee, team=ticket.team
            )
        if change.status is not KEEP:
            ticket = services.change_status(ticket=ticket, actor=actor, status=change.status)
    return ticket


def merge_into(*, actor: User, numbers: Sequence[str], into_number: str) -> BulkOutcome:
    """Merge each selected ticket into the one numbered `into_number` (the target itself
    among the selected stays as it is), each in its own transaction."""
    outcome = BulkOutcome()
    try:
        into = get_ticket_for_agent(actor, into_number)
    except Http404:
        outcome.failed.append((into_number, _("no such ticket")))
        return outcome
    for number in list(dict.fromkeys(n.upper() for n in numbers))[:MAX_TICKETS]:
        if number == into.number:
            continue
        try:
            ticket = get_ticket_for_agent(actor, number)
            merging.merge_tickets(ticket=ticket, into=into, actor=actor)
            outcome.changed.append(ticket)
        except Http404:
            outcome.failed.append((number, _("no such ticket")))
        except TicketError as error:
            outcome.failed.append((number, error.message))
    return outcome
