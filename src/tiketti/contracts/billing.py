"""The monthly billing export: what an organisation is invoiced for, line by line.

A month is the organisation's local calendar month (23:59 on the last day in Helsinki is
still that month). Lines come from three places:

- billable time: the minutes within the month's included quota as a zero-priced line (the
  invoice shows the usage), and the minutes beyond it. Extra minutes worked under an
  approved quote are listed zero-priced with the quote's reference: the quote's price is
  what the customer approved in writing and is charged once, as the quote line. Extra
  minutes without a quote (work logged before quotes existed) are charged at the plan's
  hourly rate;
- quotes approved in the month, at their price;
- priority tickets made in the month, at their price (zero when a credit was used).
"""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation

from .models import PriorityCharge, Quote, TimeEntry
from .services import contract_in_force
from .timetracking import month_bounds

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
KIND_ORDER = {"time": 0, "quote": 1, "priority": 2}
CSV_COLUMNS = (
    "kind",
    "date",
    "ticket",
    "description",
    "minutes",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "reference",
)


@dataclass(frozen=True)
class BillingLine:
    """One invoice line. `quantity` is hours for time and quotes, pieces for priority."""

    kind: str  # time, quote, priority
    date: datetime.date  # in the organisation's time zone
    ticket: str  # ticket number
    description: str
    minutes: int | None  # time lines only
    quantity: Decimal
    unit: str  # h or pcs
    unit_price: Decimal
    amount: Decimal
    reference: str


def parse_month(text: str) -> datetime.date:
    """The first day of a month written `YYYY-MM`; ValueError otherwise."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month like 2026-11") from None


def billing_lines(organisation: Organisation, month: datetime.date) -> list[BillingLine]:
    """The organisation's invoice lines for the local calendar month containing `month`,
    by date; descriptions in the organisation's language."""
    start, end = month_bounds(month.replace(day=1), organisation)
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    with translation.override(organisation.language):
        lines = [
            *_time_lines(organisation, start, end, zone),
            *_quote_lines(organisation, start, end, zone),
            *_priority_lines(organisation, start, end, zone),
        ]
    return sorted(lines, key=lambda line: (line.date, KIND_ORDER[line.kind], line.reference))


def billed_organisations(month: datetime.date) -> list[Organisation]:
    """Organisations to export for a month: those with a contract during it, and any
    other with time, quotes or priority charges around it (a month is local, so look a
    day beyond it either side), by name."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    with_contract = Q(contracts__starts_on__lt=following) & (
        Q(contracts__ends_on__isnull=True) | Q(contracts__ends_on__gte=first)
    )
    since = datetime.datetime.combine(first - datetime.timedelta(days=1), datetime.time(), UTC)
    until = datetime.datetime.combine(following + datetime.timedelta(days=1), datetime.time(), UTC)
    active = {
        *TimeEntry.objects.filter(worked_at__range=(since, until)).values_list(
            "organisation_id", flat=True
        ),
        *Quote.objects.filter(decided_at__range=(since, until)).values_list(
            "organisation_id", flat=True
        ),
        *PriorityCharge.objects.filter(created_at__range=(since, until)).values_list(
            "organisation_id", flat=True
        ),
    }
    organisations = Organisation.objects.filter(with_contract | Q(pk__in=active)).distinct()
    return list(organisations.order_by("name"))


def total_amount(lines: Iterable[BillingLine]) -> Decimal:
    """The sum of the lines' amounts."""
    return sum((line.amount for line in lines), ZERO)


def to_csv(lines: Sequence[BillingLine]) -> str:
    """CSV text for the invoicing system: comma-separated, a header row, ISO dates, a
    decimal point, two decimals; the column order is part of the contract."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(
            [
                line.kind,
                line.date.isoformat(),
                line.ticket,
                line.description,
                "" if line.minutes is None else line.minutes,
                f"{line.quantity:.2f}",
                line.unit,
                f"{line.unit_price:.2f}",
                f"{line.amount:.2f}",
                line.reference,
            ]
        )
    return buffer.getvalue()


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _labelled(label: str, note: str) -> str:
    return f"{label}: {note}" if note else label


def _time_lines(
    organisation: Organisation,
    start: datetime.datetime,
    end: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> list[BillingLine]:
    entries = TimeEntry.objects.filter(
        organisation=organisation, is_billable=True, worked_at__gte=start, worked_at__lt=end
    ).select_related("ticket", "quote")
    rates: dict[datetime.date, Decimal] = {}
    lines = []
    for entry in entries:
        day = entry.worked_at.astimezone(zone).date()
        if day not in rates:
            contract = contract_in_force(organisation, day)
            rates[day] = contract.plan.hourly_rate if contract else ZERO
        lines.extend(_entry_lines(entry, day, rates[day]))
    return lines


def _entry_lines(entry: TimeEntry, day: datetime.date, rate: Decimal) -> list[BillingLine]:
    """An entry's included minutes (free) and its extra minutes, if any."""
    lines = []
    included = entry.minutes - entry.extra_minutes
    if included > 0:
        description = _labelled(_("Support within the included hours"), entry.note)
        lines.append(_time_line(entry, day, description, included, ZERO, f"T{entry.pk}"))
    if entry.extra_minutes:
        lines.append(_extra_line(entry, day, rate))
    return lines


def _extra_line(entry: TimeEntry, day: datetime.date, rate: Decimal) -> BillingLine:
    """Extra minutes: covered by the approved quote they were worked under (its price is
    the quote line), else charged at the plan's rate."""
    minutes = entry.extra_minutes
    if entry.quote is not None:
        label = _("Extra work under quote %(reference)s") % {"reference": entry.quote.reference}
        description = _labelled(label, entry.note)
        return _time_line(entry, day, description, minutes, ZERO, entry.quote.reference)
    description = _labelled(_("Extra work beyond the included hours"), entry.note)
    return _time_line(entry, day, description, minutes, rate, f"T{entry.pk}")


def _time_line(
    entry: TimeEntry,
    day: datetime.date,
    description: str,
    minutes: int,
    rate: Decimal,
    reference: str,
) -> BillingLine:
    return BillingLine(
        kind="time",
        date=day,
        ticket=entry.ticket.number,
        description=description,
        minutes=minutes,
        quantity=_hours(minutes),
        unit="h",
        unit_price=_money(rate),
        # From the exact minutes, not the rounded hours: 20 min at 85.00 is 28.33.
        amount=_money(Decimal(minutes) * rate / 60),
        reference=reference,
    )


def _quote_lines(
    organisation: Organisation,
    start: datetime.datetime,
    end: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> list[BillingLine]:
    quotes = Quote.objects.filter(
        organisation=organisation,
        status=Quote.Status.APPROVED,
        decided_at__gte=start,
        decided_at__lt=end,
    ).select_related("ticket")
    return [_quote_line(quote, zone) for quote in quotes]


def _quote_line(quote: Quote, zone: zoneinfo.ZoneInfo) -> BillingLine:
    assert quote.decided_at is not None  # the query selects decided quotes only
    summary = quote.description.strip().splitlines()[0][:200] if quote.description.strip() else ""
    return BillingLine(
        kind="quote",
        date=quote.decided_at.astimezone(zone).date(),
        ticket=quote.ticket.number,
        description=_labelled(_("Approved quote"), summary),
        minutes=None,
        quantity=_money(quote.estimated_hours),
        unit="h",
        unit_price=_money(quote.hourly_rate),
        amount=_money(quote.price),
        reference=quote.reference,
    )


def _priority_lines(
    organisation: Organisation,
    start: datetime.datetime,
    end: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> list[BillingLine]:
    charges = PriorityCharge.objects.filter(
        organisation=organisation, created_at__gte=start, created_at__lt=end
    ).select_related("ticket")
    return [
        BillingLine(
            kind="priority",
            date=charge.created_at.astimezone(zone).date(),
            ticket=charge.ticket.number,
            description=_("Priority ticket (included credit)")
            if charge.used_credit
            else _("Priority ticket"),
            minutes=None,
            quantity=Decimal("1.00"),
            unit="pcs",
            unit_price=ZERO if charge.used_credit else _money(charge.price),
            amount=ZERO if charge.used_credit else _money(charge.price),
            reference=f"P{charge.pk}",
        )
        for charge in charges
    ]
