"""Time logged on tickets and the monthly support-hour quota.

Months are the organisation's local calendar months: 23:59 on the last day in Helsinki
belongs to that month even though it is already the next month in some other zone.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User
from tiketti.tickets import services as ticket_services
from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Ticket, TicketEvent

from .models import QuotaNotice, Quote, TimeEntry
from .services import contract_for_month
from .signals import quota_threshold_reached

MAX_ENTRY_MINUTES = 12 * 60
THRESHOLDS = (80, 100)


@dataclass(frozen=True)
class Usage:
    month: datetime.date
    included_minutes: int
    used_minutes: int

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.included_minutes - self.used_minutes)

    @property
    def percent(self) -> int:
        if not self.included_minutes:
            return 100 if self.used_minutes else 0
        return self.used_minutes * 100 // self.included_minutes


def month_of(moment: datetime.datetime, organisation: Organisation) -> datetime.date:
    local = moment.astimezone(zoneinfo.ZoneInfo(organisation.time_zone))
    return local.date().replace(day=1)


def month_bounds(
    month: datetime.date, organisation: Organisation
) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and next month's first instant, in the organisation's zone."""
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    start = datetime.datetime(month.year, month.month, 1, tzinfo=zone)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime.datetime(following.year, following.month, 1, tzinfo=zone)


def month_usage(organisation: Organisation, month: datetime.date) -> Usage:
    """Billable minutes used in the month against the plan's included minutes."""
    start, end = month_bounds(month, organisation)
    used = TimeEntry.objects.filter(
        organisation=organisation, is_billable=True, worked_at__gte=start, worked_at__lt=end
    ).aggregate(total=Sum("minutes"))["total"]
    contract = contract_for_month(organisation, month)
    included = contract.plan.monthly_support_minutes if contract else 0
    return Usage(month, included, int(used or 0))


def log_time(
    *,
    ticket: Ticket,
    agent: User,
    minutes: int,
    note: str = "",
    is_billable: bool = True,
    worked_at: datetime.datetime | None = None,
) -> TimeEntry:
    """Log work on a ticket. Billable minutes use the month's included quota first; any
    beyond it need an approved quote on the ticket (the customer's written consent)."""
    moment = worked_at or timezone.now()
    organisation = _check_entry(ticket, agent, minutes, moment)
    with transaction.atomic():
        # One organisation's entries are added one at a time: the quota cannot be overrun
        # by two agents logging at the same moment.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        usage = month_usage(organisation, month_of(moment, organisation))
        extra = max(0, minutes - usage.remaining_minutes) if is_billable else 0
        quote = _approved_quote(ticket) if extra else None
        if extra and quote is None:
            raise TicketError(
                _(
                    "This month's included support hours are used up: billable time beyond "
                    "them needs a quote the customer has approved."
                ),
                code="quota_exceeded",
            )
        entry = TimeEntry.objects.create(
            ticket=ticket,
            organisation=organisation,
            agent=agent,
            minutes=minutes,
            note=note.strip()[:300],
            is_billable=is_billable,
            extra_minutes=extra,
            quote=quote,
            worked_at=moment,
        )
        ticket_services.record_event(ticket, agent, TicketEvent.Kind.TIME, "", f"{minutes} min")
        if is_billable:
            _notify_thresholds(organisation, usage, usage.used_minutes + minutes)
    return entry


def _check_entry(
    ticket: Ticket, agent: User, minutes: int, moment: datetime.datetime
) -> Organisation:
    if not agent.is_agent:
        raise TicketError(_("Only staff log time."), code="forbidden")
    if not 1 <= minutes <= MAX_ENTRY_MINUTES:
        raise TicketError(
            _("Log between 1 and %(max)d minutes at a time.") % {"max": MAX_ENTRY_MINUTES},
            code="invalid_minutes",
        )
    now = timezone.now()
    if moment > now + timedelta(minutes=5) or moment < now - timedelta(days=366):
        raise TicketError(
            _("The work must have happened within the last year, not in the future."),
            code="invalid_time",
        )
    if ticket.organisation is None:
        raise TicketError(_("Time is logged on customers' tickets."), code="no_organisation")
    return ticket.organisation


def _approved_quote(ticket: Ticket) -> Quote | None:
    approved = Quote.objects.filter(ticket=ticket, status=Quote.Status.APPROVED)
    return approved.order_by("-decided_at").first()


def _notify_thresholds(organisation: Organisation, before: Usage, used_after: int) -> None:
    if not before.included_minutes:
        return
    for threshold in THRESHOLDS:
        limit = before.included_minutes * threshold / 100
        if before.used_minutes < limit <= used_after:
            notice, created = QuotaNotice.objects.get_or_create(
                organisation=organisation, month=before.month, threshold=threshold
            )
            if created:
                transaction.on_commit(partial(_announce_threshold, notice.pk))


def _announce_threshold(notice_id: int) -> None:
    quota_threshold_reached.send(QuotaNotice, notice_id=notice_id)
