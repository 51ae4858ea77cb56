"""Report figures, each computed by the database: grouped counts and sums, and
percentiles from one column of stored integers (never a Python loop over ticket objects).

Every figure is a `Table` (a title, column names, rows of plain values): the page draws
some as charts and the CSV export writes all of them, so both show the same numbers.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiketti.accounts.models import Organisation, Team
from tiketti.contracts.models import Contract, TimeEntry
from tiketti.knowledge.models import Deflection, SearchLog
from tiketti.satisfaction.models import Survey
from tiketti.status.sla import breach_excused
from tiketti.tickets.models import Category, Message, Ticket

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    columns: Sequence[str | Promise]
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    # The column a chart draws as bars (None: no chart), labelled by the first
    # `label_columns` columns.
    chart_column: int | None = None
    label_columns: int = 1

    def chart_bars(self) -> list[tuple[str, float]]:
        if self.chart_column is None:
            return []
        bars = []
        for row in self.rows:
            value = row[self.chart_column]
            label = " · ".join(str(part or "–") for part in row[: self.label_columns])
            bars.append((label, float(value) if isinstance(value, int | float) else 0.0))
        return bars


@dataclass(frozen=True)
class ReportFilter:
    start: date
    end: date  # inclusive
    team: Team | None = None
    organisation: Organisation | None = None
    category: Category | None = None

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _scoped(rows: QuerySet[Any, Any], scope: ReportFilter, via: str = "") -> QuerySet[Any, Any]:
    """Narrow tickets (or rows of a ticket, `via="ticket__"`) to the filter, as a join:
    an `IN (all tickets)` subquery made SQLite walk every ticket."""
    if scope.team is not None:
        rows = rows.filter(**{f"{via}team": scope.team})
    if scope.organisation is not None:
        rows = rows.filter(**{f"{via}organisation": scope.organisation})
    if scope.category is not None:
        rows = rows.filter(**{f"{via}category": scope.category})
    return rows


def created_in_period(scope: ReportFilter) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(
        created_at__gte=scope.since, created_at__lt=scope.until, held_reason=""
    )
    return _scoped(tickets, scope)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def sla_compliance(scope: ReportFilter) -> Table:
    """Met and breached per SLA policy and team; breaches an admin excused for an incident
    are counted apart, not against the team."""
    counts = {}
    for clock, prefix in (("first_response", "fr"), ("resolution", "res")):
        breached = Q(**{f"{clock}_breached": True})
        excused = breach_excused(clock)
        counts[f"{prefix}_met"] = Count("pk", filter=Q(**{f"{clock}_breached": False}))
        counts[f"{prefix}_breached"] = Count("pk", filter=breached & ~excused)
        counts[f"{prefix}_excused"] = Count("pk", filter=breached & excused)
    rows = (
        created_in_period(scope)
        .filter(sla_policy__isnull=False)
        .values("sla_policy__name", "team__name")
        .annotate(**counts)
        .order_by("sla_policy__name", "team__name")
        .values_list("sla_policy__name", "team__name", *counts)
    )
    table_rows: list[tuple[Value, ...]] = []
    for policy, team, fr_met, fr_breached, fr_excused, res_met, res_breached, res_excused in rows:
        met, breached = fr_met + res_met, fr_breached + res_breached
        table_rows.append(
            (
                policy,
                team or "",
                fr_met,
                fr_breached,
                fr_excused,
                res_met,
                res_breached,
                res_excused,
                _percent(met, met + breached),
            )
        )
    return Table(
        "sla_compliance",
        _("SLA compliance per policy and team"),
        [
            _("Policy"),
            _("Team"),
            _("First response met"),
            _("First response breached"),
            _("First response excused"),
            _("Resolution met"),
            _("Resolution breached"),
            _("Resolution excused"),
            _("Compliance %"),
        ],
        table_rows,
        chart_column=8,
        label_columns=2,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _nearest_rank(ordered: list[int], fraction: float) -> timedelta | None:
    """The nearest-rank percentile of sorted seconds."""
    if not ordered:
        return None
    return timedelta(seconds=ordered[max(0, math.ceil(fraction * len(ordered)) - 1)])


# Business hours: a "day" of open time depends on the calendar, so the buckets are hours.
DURATION_BUCKETS: list[tuple[str, int | None]] = [
    ("< 1 h", 1),
    ("1–4 h", 4),
    ("4–8 h", 8),
    ("8–24 h", 24),
    ("24–48 h", 48),
    ("> 48 h", None),
]


def time_distributions(scope: ReportFilter) -> tuple[Table, Table]:
    """First-response and resolution times in business hours of each ticket's SLA
    calendar (stored when the clock stopped; resolution less its pauses): median, p90,
    and how many fall in each bucket. Tickets without an SLA clock are not counted.

    One query a clock reads the stored seconds as a single column of integers; sorting
    and bisecting them is C code (a sort by OFFSET in the database needed three queries
    a clock, each sorting the period's tickets)."""
    summary: list[tuple[Value, ...]] = []
    buckets_rows: list[tuple[Value, ...]] = []
    for seconds_field, label in (
        ("first_response_business_seconds", _("First response")),
        ("resolution_business_seconds", _("Resolution")),
    ):
        taken = sorted(
            created_in_period(scope)
            .filter(**{f"{seconds_field}__isnull": False})
            .order_by()
            .values_list(seconds_field, flat=True)
        )
        summary.append(
            (
                str(label),
                len(taken),
                _hours(_nearest_rank(taken, 0.5)),
                _hours(_nearest_rank(taken, 0.9)),
            )
        )
        below = 0
        for bucket, upper in DURATION_BUCKETS:
            under = len(taken) if upper is None else bisect_left(taken, upper * 3600)
            buckets_rows.append((str(label), bucket, under - below))
            below = under
    return (
        Table(
            "response_times",
            _("Response and resolution times (business hours)"),
            [_("Clock"), _("Tickets"), _("Median"), _("90th percentile")],
            summary,
            chart_column=2,
        ),
        Table(
            "response_time_buckets",
            _("Distribution of response and resolution times (business hours)"),
            [_("Clock"), pgettext_lazy("duration", "Time"), _("Tickets")],
            buckets_rows,
            chart_column=2,
            label_columns=2,
        ),
    )


def _volume(scope: ReportFilter, key: str, group: str, title: Promise, column: Promise) -> Table:
    rows = (
        created_in_period(scope).values(group).annotate(count=Count("pk")).order_by("-count", group)
    )
    return Table(
        key,
        title,
        [column, _("Tickets")],
        [(row[group] or "–", row["count"]) for row in rows],
        chart_column=1,
    )


def volume_by_channel(scope: ReportFilter) -> Table:
    table = _volume(scope, "volume_channel", "channel", _("Tickets by channel"), _("Channel"))
    labels = dict(Ticket.Channel.choices)
    rows = [(str(labels.get(str(row[0]), row[0])), *row[1:]) for row in table.rows]
    return Table(table.key, table.title, table.columns, rows, table.chart_column)


def volume_by_category(scope: ReportFilter) -> Table:
    return _volume(
        scope, "volume_category", "category__name_en", _("Tickets by category"), _("Category")
    )


def volume_by_organisation(scope: ReportFilter) -> Table:
    return _volume(
        scope,
        "volume_organisation",
        "organisation__name",
        _("Tickets by organisation"),
        _("Organisation"),
    )


class HourNumber(Func):
    """Whole hours since the Unix epoch (UTC) of a datetime column, in the database's own
    arithmetic: Django's time-zone-aware extracts call a Python function per row on
    SQLite, which took most of the page's time with many tickets."""

    output_field = IntegerField()

    def __init__(self, column: str) -> None:
        super().__init__(F(column))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / 3600)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 3600)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)


def volume_by_hour_of_week(scope: ReportFilter) -> Table:
    """Tickets by weekday (1 = Monday) and hour, in the site's time zone. The database
    counts per UTC hour (at most one row an hour of the period); each hour is then placed
    in the week by its local time, so daylight saving moves it correctly. (A zone whose
    offset is not whole hours would shift some tickets by its fraction of an hour.)"""
    zone = timezone.get_current_timezone()
    per_hour = (
        created_in_period(scope)
        .annotate(utc_hour=HourNumber("created_at"))
        .values("utc_hour")
        .annotate(count=Count("pk"))
        .values_list("utc_hour", "count")
    )
    week: dict[tuple[int, int], int] = {}
    for utc_hour, count in per_hour:
        local = datetime.fromtimestamp(int(utc_hour) * 3600, tz=UTC).astimezone(zone)
        key = (local.isoweekday(), local.hour)
        week[key] = week.get(key, 0) + count
    return Table(
        "volume_hour_of_week",
        _("Tickets by hour of the week"),
        [_("Weekday"), _("Hour"), _("Tickets")],
        [(weekday, hour, count) for (weekday, hour), count in sorted(week.items())],
    )


BACKLOG_AGES: list[tuple[str, timedelta | None]] = [
    ("< 1 d", timedelta(days=1)),
    ("1–3 d", timedelta(days=3)),
    ("3–7 d", timedelta(days=7)),
    ("7–30 d", timedelta(days=30)),
    ("> 30 d", None),
]


def backlog_by_age(scope: ReportFilter) -> Table:
    """Unsolved tickets now, by how long ago they came in (the period does not apply)."""
    now = timezone.now()
    counts = {}
    younger_than: timedelta | None = None
    for index, (_label, older_than) in enumerate(BACKLOG_AGES):
        condition = Q()
        if younger_than is not None:
            condition &= Q(created_at__lte=now - younger_than)
        if older_than is not None:
            condition &= Q(created_at__gt=now - older_than)
        counts[f"a{index}"] = Count("pk", filter=condition)
        younger_than = older_than
    figures = _scoped(Ticket.objects.unresolved(), scope).aggregate(**counts)
    return Table(
        "backlog_age",
        _("Backlog by age"),
        [_("Age"), _("Tickets")],
        [(label, figures[f"a{index}"]) for index, (label, _end) in enumerate(BACKLOG_AGES)],
        chart_column=1,
    )


def quota_consumption(scope: ReportFilter) -> Table:
    """Billable minutes logged per organisation and month against the plan's included."""
    entries = TimeEntry.objects.filter(
        worked_at__gte=scope.since, worked_at__lt=scope.until, is_billable=True
    )
    if scope.organisation is not None:
        entries = entries.filter(organisation=scope.organisation)
    if scope.team is not None:
        entries = entries.filter(ticket__team=scope.team)
    if scope.category is not None:
        entries = entries.filter(ticket__category=scope.category)
    rows = (
        entries.annotate(month=TruncMonth("worked_at"))
        .values("organisation_id", "organisation__name", "month")
        .annotate(used=Sum("minutes"), extra=Sum("extra_minutes"))
        .order_by("organisation__name", "month")
    )
    included = dict(
        Contract.objects.filter(organisation_id__in={row["organisation_id"] for row in rows})
        .order_by("starts_on")
        .values_list("organisation_id", "plan__monthly_support_minutes")
    )
    return Table(
        "quota",
        _("Support-hour quota per organisation and month (minutes)"),
        [_("Organisation"), _("Month"), _("Included"), _("Used"), _("Beyond quota"), _("Used %")],
        [
            (
                row["organisation__name"],
                f"{row['month']:%Y-%m}",
                included.get(row["organisation_id"], 0),
                row["used"],
                row["extra"],
                _percent(row["used"], included.get(row["organisation_id"], 0)),
            )
            for row in rows
        ],
    )


def agent_load(scope: ReportFilter) -> Table:
    """Open tickets per assignee now, and public replies per day in the period."""
    open_counts = dict(
        _scoped(Ticket.objects.unresolved(), scope)
        .filter(assignee__isnull=False)
        .values("assignee__email")
        .annotate(count=Count("pk"))
        .values_list("assignee__email", "count")
    )
    replies = dict(
        _scoped(
            Message.objects.filter(
                created_at__gte=scope.since, created_at__lt=scope.until, is_internal=False
            ),
            scope,
            via="ticket__",
        )
        .exclude(author__staff_role="")
        .values("author__email")
        .annotate(count=Count("pk"))
        .values_list("author__email", "count")
    )
    agents = sorted(set(open_counts) | set(replies))
    return Table(
        "agent_load",
        _("Agent load"),
        [_("Agent"), _("Open tickets"), _("Replies"), _("Replies per day")],
        [
            (
                email,
                open_counts.get(email, 0),
                replies.get(email, 0),
                round(replies.get(email, 0) / scope.days, 2),
            )
            for email in agents
        ],
        chart_column=1,
    )


def deflection(scope: ReportFilter) -> tuple[Table, Table]:
    """Problems solved by an article before a ticket, against the tickets that were sent;
    and the searches that found nothing (which articles to write next)."""
    solved = Deflection.objects.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    if scope.organisation is not None:
        solved = solved.filter(user__organisation=scope.organisation)
    deflected = solved.count()
    tickets = created_in_period(scope).filter(
        channel__in=[Ticket.Channel.PORTAL, Ticket.Channel.WIDGET]
    )
    sent = tickets.count()
    searches = SearchLog.objects.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    empty = (
        searches.filter(result_count=0)
        .values("normalized")
        .annotate(count=Count("pk"))
        .order_by("-count", "normalized")[:20]
    )
    return (
        Table(
            "deflection",
            _("Help-center deflection"),
            [_("Figure"), _("Value")],
            [
                (str(_("Solved by an article")), deflected),
                (str(_("Requests sent from the portal or widget")), sent),
                (str(_("Deflection rate %")), _percent(deflected, deflected + sent)),
                (str(_("Searches")), searches.count()),
            ],
        ),
        Table(
            "searches_without_results",
            _("Searches that found nothing"),
            [pgettext_lazy("report", "Search text"), _("Times")],
            [(row["normalized"], row["count"]) for row in empty],
        ),
    )


def satisfaction(scope: ReportFilter) -> Table:
    """Ratings given in the period, per team of the rated ticket."""
    surveys = _scoped(
        Survey.objects.filter(rated_at__gte=scope.since, rated_at__lt=scope.until),
        scope,
        via="ticket__",
    )
    rows = (
        surveys.values("ticket__team__name")
        .annotate(
            good=Count("pk", filter=Q(rating=Survey.Rating.GOOD)),
            bad=Count("pk", filter=Q(rating=Survey.Rating.BAD)),
        )
        .order_by("ticket__team__name")
        .values_list("ticket__team__name", "good", "bad")
    )
    return Table(
        "satisfaction",
        _("Customer satisfaction"),
        [_("Team"), _("Good"), _("Bad"), _("Good %")],
        [(team or "–", good, bad, _percent(good, good + bad)) for team, good, bad in rows],
        chart_column=3,
    )


def all_tables(scope: ReportFilter) -> list[Table]:
    first, buckets = time_distributions(scope)
    deflected, empty_searches = deflection(scope)
    return [
        sla_compliance(scope),
        first,
        buckets,
        volume_by_channel(scope),
        volume_by_category(scope),
        volume_by_organisation(scope),
        volume_by_hour_of_week(scope),
        backlog_by_age(scope),
        quota_consumption(scope),
        agent_load(scope),
        deflected,
        empty_searches,
        satisfaction(scope),
    ]
