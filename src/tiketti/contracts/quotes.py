"""Paid work: an agent quotes it, a main user approves it in writing, then work may start.

A decision is recorded with who, when, from where and the exact text approved; a
conditional update makes concurrent decisions on one quote end in exactly one.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User
from tiketti.tickets import services as ticket_services
from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Ticket, TicketEvent

from .models import Quote
from .services import contract_in_force
from .signals import quote_created, quote_decided

CENT = Decimal("0.01")
MAX_HOURS = Decimal("1000")


def local_today(organisation: Organisation) -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(organisation.time_zone)).date()


def create_quote(
    *,
    ticket: Ticket,
    actor: User,
    description: str,
    estimated_hours: Decimal,
    valid_until: datetime.date,
) -> Quote:
    """Offer paid work on a ticket at the plan's hourly rate; the ticket then waits for
    the customer's approval and the main users are told by e-mail."""
    organisation = _check_quotable(ticket, actor, estimated_hours, valid_until)
    contract = contract_in_force(organisation)
    assert contract is not None
    rate = contract.plan.hourly_rate
    with transaction.atomic():
        count = Quote.objects.filter(ticket=ticket).count()
        quote = Quote.objects.create(
            ticket=ticket,
            organisation=organisation,
            reference=f"{ticket.number}-Q{count + 1}",
            description=description.strip(),
            estimated_hours=estimated_hours.quantize(CENT, rounding=ROUND_HALF_UP),
            hourly_rate=rate,
            price=(estimated_hours * rate).quantize(CENT, rounding=ROUND_HALF_UP),
            valid_until=valid_until,
            created_by=actor,
        )
        ticket_services.record_event(ticket, actor, TicketEvent.Kind.QUOTE, "", quote.reference)
        if ticket.status != Ticket.Status.WAITING_APPROVAL:
            ticket_services.change_status(
                ticket=ticket, actor=actor, status=Ticket.Status.WAITING_APPROVAL
            )
        transaction.on_commit(lambda: quote_created.send(Quote, quote_id=quote.pk))
    return quote


def _check_quotable(
    ticket: Ticket, actor: User, hours: Decimal, valid_until: datetime.date
) -> Organisation:
    if not actor.is_agent:
        raise TicketError(_("Only staff can make quotes."), code="forbidden")
    organisation = ticket.organisation
    if organisation is None or contract_in_force(organisation) is None:
        raise TicketError(
            _("Paid work can be quoted only to an organisation with a contract."),
            code="no_contract",
        )
    if not Decimal("0") < hours <= MAX_HOURS:
        raise TicketError(
            _("Estimate between 0 and %(max)s hours.") % {"max": MAX_HOURS}, code="invalid_hours"
        )
    if valid_until < local_today(organisation):
        raise TicketError(_("The quote must be valid until today or later."), code="invalid_date")
    return organisation


def decide_quote(*, quote: Quote, user: User, approve: bool, via: str, from_address: str) -> Quote:
    """Record a main user's written approval or refusal. Refused with nothing changed:
    another organisation's quote, a non-main user, an expired or already decided quote."""
    _check_may_decide(quote, user)
    status = Quote.Status.APPROVED if approve else Quote.Status.DECLINED
    with transaction.atomic():
        decided = Quote.objects.filter(pk=quote.pk, status=Quote.Status.PENDING).update(
            status=status,
            decided_by=user,
            decided_at=timezone.now(),
            decided_via=via,
            decided_from=from_address[:254],
            decided_text=quote.quote_text(),
        )
        if not decided:
            raise TicketError(_("This quote has already been decided."), code="quote_decided")
        quote.refresh_from_db()
        ticket = quote.ticket
        ticket_services.record_event(
            ticket, user, TicketEvent.Kind.QUOTE, quote.reference, quote.status
        )
        if ticket.status == Ticket.Status.WAITING_APPROVAL:
            ticket_services.change_status(ticket=ticket, actor=user, status=Ticket.Status.OPEN)
        transaction.on_commit(lambda: quote_decided.send(Quote, quote_id=quote.pk))
    return quote


def _check_may_decide(quote: Quote, user: User) -> None:
    if not user.is_main_user or user.organisation_id != quote.organisation_id:
        raise TicketError(
            _("Only a main user of the customer organisation can decide on a quote."),
            code="forbidden",
        )
    if quote.status != Quote.Status.PENDING:
        raise TicketError(_("This quote has already been decided."), code="quote_decided")
    if quote.valid_until < local_today(quote.organisation):
        raise TicketError(
            _("This quote expired on %(date)s. Ask us for a new one.")
            % {"date": quote.valid_until.isoformat()},
            code="quote_expired",
        )


# "HYVÄKSYN TK-1001-Q1" / "I approve TK-1001-Q1" / "Akceptuję TK-1001-Q1" on a line of its
# own in a reply; declining works the same way.
APPROVE_WORDS = r"(?:i\s+approve|approved?|hyväksyn|hyväksytään|akceptuję|zatwierdzam)"
DECLINE_WORDS = r"(?:i\s+decline|declined?|en\s+hyväksy|hylkään|odrzucam|nie\s+akceptuję)"
DECISION_LINE = re.compile(
    rf"^\s*(?P<verb>{DECLINE_WORDS}|{APPROVE_WORDS})\b[^\n]*?(?P<ref>[A-Z0-9]+-\d+-Q\d+)",
    re.IGNORECASE | re.MULTILINE,
)


def decide_by_email(*, ticket: Ticket, sender: User, text: str, from_address: str) -> Quote | None:
    """A reply to the quote e-mail with an approval (or refusal) line is a written
    decision too. Returns the decided quote, or None when the text has no decision line."""
    match = DECISION_LINE.search(text)
    if match is None:
        return None
    quote = Quote.objects.filter(ticket=ticket, reference=match.group("ref").upper()).first()
    if quote is None:
        return None
    approve = re.fullmatch(DECLINE_WORDS, match.group("verb"), re.IGNORECASE) is None
    return decide_quote(
        quote=quote, user=sender, approve=approve, via=Quote.Via.EMAIL, from_address=from_address
    )
