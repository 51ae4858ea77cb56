"""Property-based tests of the SLA arithmetic on random calendars.

The centrepiece compares business-time deadlines with a slow reference that walks minute by
minute over UTC instants and decides openness from the calendar's raw intervals on its own.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from holidays import country_holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiketti.sla.calendar import (
    WEEKDAYS,
    BusinessCalendar,
    Target,
    TargetKind,
    compute_deadline,
    is_open,
    open_time_between,
)

MINUTE = timedelta(minutes=1)
ZONES = ["Europe/Helsinki", "Europe/Warsaw", "UTC"]
FIRST_START = datetime(2026, 1, 1, tzinfo=UTC)
LAST_START = datetime(2028, 12, 31, tzinfo=UTC)
# Days around which the European clocks change (last Sundays of March and October).
DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


def deadline_utc(calendar: BusinessCalendar, start: datetime, target: Target) -> datetime:
    """Deadlines compared in UTC: two datetimes in the same zone compare by wall clock and
    ignore `fold` (PEP 495), which misorders instants in the repeated autumn hour."""
    return compute_deadline(calendar, start, target).astimezone(UTC)


SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Scenario:
    """A random calendar, kept both as the product's value and as raw data for the reference."""

    tz: str
    hours: tuple[tuple[tuple[int, int], ...], ...]  # minutes, Monday first
    holidays: tuple[str, ...]
    closed: frozenset[date]
    open: frozenset[date]

    @property
    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar.from_json(
            {
                "tz": self.tz,
                "hours": {
                    name: [f"{clock(start)}-{clock(end)}" for start, end in day]
                    for name, day in zip(WEEKDAYS, self.hours, strict=True)
                },
                "holidays": list(self.holidays),
                "closed": [day.isoformat() for day in self.closed],
                "open": [day.isoformat() for day in self.open],
            }
        )

    def weekly_open_minutes(self) -> int:
        return sum(end - start for day in self.hours for start, end in day)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Boundaries on the quarter hour, so intervals often start or end inside a DST change.
day_hours = (
    st.sets(st.integers(0, 96), max_size=6)
    .map(sorted)
    .map(lambda points: tuple((points[i] * 15, points[i + 1] * 15)
                              for i in range(0, len(points) - 1, 2)))
)  # fmt: skip
starts = st.one_of(
    st.integers(0, int((LAST_START - FIRST_START) / MINUTE)).map(
        lambda minutes: FIRST_START + minutes * MINUTE
    ),
    st.tuples(st.sampled_from(DST_DAYS), st.integers(-2 * 24 * 60, 2 * 24 * 60)).map(
        lambda pair: (
            datetime(pair[0].year, pair[0].month, pair[0].day, tzinfo=UTC) + pair[1] * MINUTE
        )
    ),
)
# Within three hours of a clock change (EU clocks all change at 01:00 UTC), or of the same
# time the day before (whose wall-clock time a business day later may not exist).
clock_change_starts = st.tuples(
    st.sampled_from(DST_DAYS), st.sampled_from([0, -1]), st.integers(-180, 180)
).map(
    lambda drawn: (
        datetime(drawn[0].year, drawn[0].month, drawn[0].day, 1, tzinfo=UTC)
        + timedelta(days=drawn[1], minutes=drawn[2])
    )
)
nearby_dates = st.builds(
    lambda base, days: base + timedelta(days=days),
    st.sampled_from([date(2026, 1, 1), *DST_DAYS, date(2026, 12, 20), date(2027, 12, 20)]),
    st.integers(-10, 40),
)


@st.composite
def scenarios(draw: st.DrawFn, min_weekly_minutes: int = 120) -> Scenario:
    hours = tuple(draw(day_hours) for _ in WEEKDAYS)
    closed = frozenset(draw(st.sets(nearby_dates, max_size=8)))
    opened = frozenset(draw(st.sets(nearby_dates, max_size=4))) - closed
    scenario = Scenario(
        tz=draw(st.sampled_from(ZONES)),
        hours=hours,
        holidays=draw(st.sampled_from([(), ("FI",), ("PL",)])),
        closed=closed,
        open=opened,
    )
    if scenario.weekly_open_minutes() < min_weekly_minutes:
        # Guarantee some open time without filtering: open Wednesday mornings.
        week = list(hours)
        week[2] = ((9 * 60, 9 * 60 + min_weekly_minutes),)
        scenario = Scenario(scenario.tz, tuple(week), scenario.holidays, closed, opened)
    return scenario


targets = st.one_of(
    st.builds(Target, st.just(TargetKind.HOURS), st.integers(0, 200)),
    st.builds(Target, st.just(TargetKind.BUSINESS_MINUTES), st.integers(0, 3000)),
    st.builds(Target, st.just(TargetKind.BUSINESS_HOURS), st.integers(0, 60)),
    st.builds(Target, st.just(TargetKind.BUSINESS_DAYS), st.integers(0, 12)),
    st.builds(Target, st.just(TargetKind.CUTOFF), st.integers(0, 96).map(lambda q: q * 15)),
)


# --- the reference --------------------------------------------------------------------------


@cache
def reference_holidays(codes: tuple[str, ...], year: int) -> frozenset[date]:
    return frozenset(day for code in codes for day in country_holidays(code, years=year))


def reference_is_open(scenario: Scenario, instant: datetime) -> bool:
    """Open iff the local wall clock, on its local date, reads a time inside that date's hours."""
    local = instant.astimezone(ZoneInfo(scenario.tz))
    day = local.date()
    if day in scenario.closed:
        return False
    if day in reference_holidays(scenario.holidays, day.year) and day not in scenario.open:
        return False
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in scenario.hours[day.weekday()])


def reference_deadline(scenario: Scenario, start: datetime, minutes: int) -> datetime:
    """Walk minute by minute (offsets here are whole hours, so openness is constant within a
    UTC minute) until `minutes` open minutes have been used up."""
    if minutes == 0:
        return start
    instant, used = start, 0
    while True:
        if reference_is_open(scenario, instant):
            used += 1
            if used == minutes:
                return instant + MINUTE
        instant += MINUTE


# --- properties -------------------------------------------------------------------------------


@SETTINGS
@given(
    scenario=scenarios(min_weekly_minutes=300),
    start=starts,
    target=st.one_of(
        st.builds(Target, st.just(TargetKind.BUSINESS_MINUTES), st.integers(0, 480)),
        st.builds(Target, st.just(TargetKind.BUSINESS_HOURS), st.integers(0, 8)),
    ),
)
def test_business_time_agrees_with_minute_by_minute_reference(
    scenario: Scenario, start: datetime, target: Target
) -> None:
    minutes = target.amount * (60 if target.kind is TargetKind.BUSINESS_HOURS else 1)
    expected = reference_deadline(scenario, start, minutes)
    # Compare in UTC: Python calls an instant in a repeated (fold) hour unequal to any
    # datetime in another zone, even the same instant (PEP 495).
    assert compute_deadline(scenario.calendar, start, target).astimezone(UTC) == expected


@SETTINGS
@given(scenario=scenarios(min_weekly_minutes=60), start=starts)
def test_is_open_agrees_with_reference(scenario: Scenario, start: datetime) -> None:
    calendar = scenario.calendar
    for step in range(0, 24 * 60, 15):
        instant = start + step * MINUTE
        assert is_open(calendar, instant) == reference_is_open(scenario, instant), instant


@SETTINGS
@given(scenario=scenarios(), first=starts, second=starts, target=targets)
def test_deadlines_never_decrease_with_the_start(
    scenario: Scenario, first: datetime, second: datetime, target: Target
) -> None:
    early, late = sorted([first, second])
    calendar = scenario.calendar
    assert deadline_utc(calendar, early, target) <= deadline_utc(calendar, late, target)


@SETTINGS
@given(
    scenario=scenarios(),
    start=starts,
    # Nearby starts too, so both often fall on the same day.
    step=st.integers(0, 180),
    target=targets,
)
def test_deadlines_never_decrease_with_a_slightly_later_start(
    scenario: Scenario, start: datetime, step: int, target: Target
) -> None:
    calendar = scenario.calendar
    later = start + step * MINUTE
    assert deadline_utc(calendar, start, target) <= deadline_utc(calendar, later, target)


@SETTINGS
@given(
    scenario=scenarios(),
    start=starts,
    kind=st.sampled_from(
        [TargetKind.HOURS, TargetKind.BUSINESS_MINUTES, TargetKind.BUSINESS_HOURS,
         TargetKind.BUSINESS_DAYS]
    ),
    sizes=st.tuples(st.integers(0, 40), st.integers(0, 40)),
)  # fmt: skip
def test_deadlines_never_decrease_with_the_target(
    scenario: Scenario, start: datetime, kind: TargetKind, sizes: tuple[int, int]
) -> None:
    small, large = sorted(sizes)
    calendar = scenario.calendar
    assert deadline_utc(calendar, start, Target(kind, small)) <= deadline_utc(
        calendar, start, Target(kind, large)
    )


@SETTINGS
@given(
    scenario=scenarios(),
    start=starts,
    minutes=st.integers(1, 5000),
)
def test_business_minute_deadlines_fall_in_open_time(
    scenario: Scenario, start: datetime, minutes: int
) -> None:
    calendar = scenario.calendar
    due = compute_deadline(calendar, start, Target(TargetKind.BUSINESS_MINUTES, minutes))
    # Inside an interval, or exactly at its end: the moment just before is open either way.
    assert is_open(calendar, due - timedelta(microseconds=1))
    # And exactly the target's worth of open time lies between start and deadline.
    assert open_time_between(calendar, start, due) == minutes * MINUTE


@SETTINGS
@given(scenario=scenarios(), start=starts, target=targets, extra=nearby_dates)
def test_closing_another_day_never_makes_a_deadline_earlier(
    scenario: Scenario, start: datetime, target: Target, extra: date
) -> None:
    fewer_days = Scenario(
        scenario.tz, scenario.hours, scenario.holidays, scenario.closed | {extra},
        scenario.open - {extra},
    )  # fmt: skip
    before = compute_deadline(scenario.calendar, start, target)
    assert compute_deadline(fewer_days.calendar, start, target) >= before


@SETTINGS
@given(scenario=scenarios(), a=starts, b=starts, c=starts)
def test_open_time_adds_up(scenario: Scenario, a: datetime, b: datetime, c: datetime) -> None:
    first, middle, last = sorted([a, b, c])
    calendar = scenario.calendar
    assert open_time_between(calendar, first, middle) + open_time_between(
        calendar, middle, last
    ) == open_time_between(calendar, first, last)


@SETTINGS
@given(
    # Open every night until 05:00-08:00, so the DST changes fall inside opening hours.
    scenario=st.builds(
        lambda tz, closing: Scenario(
            tz, tuple(((0, closing),) for _ in WEEKDAYS), (), frozenset(), frozenset()
        ),
        st.sampled_from(["Europe/Helsinki", "Europe/Warsaw"]),
        st.integers(20, 32).map(lambda quarters: quarters * 15),
    ),
    start=clock_change_starts,
    step=st.integers(0, 180),
    target=st.one_of(
        st.builds(Target, st.just(TargetKind.BUSINESS_DAYS), st.integers(0, 3)),
        st.builds(Target, st.just(TargetKind.CUTOFF), st.integers(0, 32).map(lambda q: q * 15)),
    ),
)
def test_wall_clock_targets_never_decrease_around_clock_changes(
    scenario: Scenario, start: datetime, step: int, target: Target
) -> None:
    # When clocks fall back the wall clock runs backwards, and when they spring forward some
    # wall-clock times do not exist; neither may make a later start due earlier.
    calendar = scenario.calendar
    later = start + step * MINUTE
    assert deadline_utc(calendar, start, target) <= deadline_utc(calendar, later, target)
