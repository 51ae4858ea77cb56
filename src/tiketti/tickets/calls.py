"""Phone calls (and other requests staff enter for a customer) become tickets.

The caller is found by the number they called from (normalised, see `accounts.phones`)
or by the e-mail address the agent types; the call then goes through the one intake
path with channel "phone": a new ticket with the usual acknowledgement, or, when the agent
chooses one, a message on the caller's open ticket. An acute problem is filed urgent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tiketti.accounts.models import User
from tiketti.accounts.phones import normalise_phone

from . import services
from .errors import IntakeRefused, TicketError
from .intake import IntakeRequest, IntakeResult, check_may_write_to, submit_request
from .models import Ticket


@dataclass(frozen=True)
class Call:
    notes: str
    phone: str = ""
    requester_email: str = ""
    subject: str = ""
    category_slug: str = ""
    priority: str = ""
    is_acute: bool = False
    # The caller's open ticket the call continues, or "" for a new ticket.
    ticket_number: str = ""
    # Answers to the category's questions, by field name (checked by intake).
    answers: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Caller:
    """Who may have called from a number, and their tickets still open."""

    phone: str
    contacts: list[User]
    open_tickets: list[Ticket]


def find_caller(phone: str) -> Caller | None:
    """The contacts with this number and their open tickets; None if it is no number."""
    number = normalise_phone(phone)
    if number is None:
        return None
    contacts = list(User.objects.with_phone(number).select_related("organisation"))
    tickets = (
        Ticket.objects.unresolved()
        .filter(requester__in=contacts)
        .order_by("-updated_at", "-pk")[:20]
        if contacts
        else []
    )
    return Caller(number, contacts, list(tickets))


def _requester(call: Call, number: str | None) -> User | None:
    """The caller's contact by number, or None when the e-mail address decides."""
    if call.requester_email.strip():
        return None
    if number is None:
        raise IntakeRefused(
            _("Enter the caller's phone number or e-mail address."), code="requester_missing"
        )
    contacts = list(User.objects.with_phone(number)[:2])
    if not contacts:
        raise IntakeRefused(
            _("No contact has the number %(phone)s. Enter the caller's e-mail address.")
            % {"phone": number},
            code="unknown_caller",
        )
    if len(contacts) > 1:
        raise IntakeRefused(
            _("Several contacts have the number %(phone)s. Enter the caller's e-mail address.")
            % {"phone": number},
            code="ambiguous_caller",
        )
    return contacts[0]


def _continued_ticket(call: Call, caller: User | None) -> Ticket | None:
    if not call.ticket_number.strip():
        return None
    ticket = Ticket.objects.filter(number=call.ticket_number.strip().upper()).first()
    if ticket is None or ticket.is_closed:
        raise TicketError(
            _("%(number)s is not an open ticket.") % {"number": call.ticket_number},
            code="ticket_not_open",
        )
    check_may_write_to(ticket, caller)
    return ticket


def log_call(*, agent: User, call: Call) -> IntakeResult:
    """File a call for its caller. The number is remembered on a contact card that has
    none, so the next call from it finds them."""
    if not agent.is_agent:
        raise IntakeRefused(_("Only staff can log calls."), code="forbidden")
    if not call.notes.strip():
        raise TicketError(_("Write down what the caller said."), code="empty_message")
    number = normalise_phone(call.phone) if call.phone.strip() else None
    if call.phone.strip() and number is None:
        raise TicketError(
            _("“%(phone)s” is not a phone number.") % {"phone": call.phone},
            code="invalid_phone",
        )
    caller = _requester(call, number)
    with transaction.atomic():
        if caller is None:  # by e-mail address: intake finds (or makes) the contact
            caller = User.objects.get_by_email(call.requester_email)
        ticket = _continued_ticket(call, caller)
        notes = call.notes.strip()
        result = submit_request(
            IntakeRequest(
                channel=Ticket.Channel.PHONE,
                subject=call.subject.strip() or notes.splitlines()[0][:120],
                body_text=notes,
                requester=caller,
                requester_email="" if caller else call.requester_email,
                submitted_by=agent,
                category_slug=call.category_slug,
                priority=Ticket.Priority.URGENT if call.is_acute else call.priority,
                acute=call.is_acute,
                fields=call.answers,
                ticket=ticket,
            )
        )
        if call.is_acute and ticket is not None and ticket.priority != Ticket.Priority.URGENT:
            ticket.refresh_from_db()
            services.classify_ticket(
                ticket=ticket,
                actor=agent,
                category=ticket.category,
                priority=Ticket.Priority.URGENT,
            )
        _remember_number(result, number)
    return result


def _remember_number(result: IntakeResult, number: str | None) -> None:
    requester = result.ticket.requester if result.ticket else None
    if number and requester is not None and not requester.phone:
        User.objects.filter(pk=requester.pk).update(phone=number)
