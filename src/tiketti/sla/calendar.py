"""SLA deadline arithmetic over plain values: business calendars, targets and deadlines.

Nothing here touches the database: a `BusinessCalendar` is a frozen value that can be built
from (and written back to) the public calendar JSON, and the functions below take aware
datetimes and return aware datetimes in the calendar's time zone.

The one rule everything follows
-------------------------------
Opening hours are local wall-clock intervals per weekday. An instant is *open* when its local
wall-clock reading, on its local date, lies inside one of that date's intervals (start
inclusive, end exclusive). The DST days fall out of that rule: when clocks spring forward the
skipped wall-clock hour is simply never shown, so a 24-hour day has 23 real hours; when
clocks fall back the repeated hour is shown twice, and is open twice.

Comparing results
-----------------
Deadlines come back in the calendar's zone. Compare them with datetimes in other zones
through UTC (or with <, <=): by PEP 495, == is always False between an instant inside the
repeated fall-back hour and any datetime in another zone, even the very same instant.

Speed
-----
Each calendar compiles, lazily and once per local year, a table of its open pieces as UTC
instants with running totals of open time. A deadline is then a few binary searches; nothing
ever steps through time minute by minute.
"""

import bisect
import dataclasses
import enum
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from holidays import country_holidays

__all__ = [
    "BUILTIN_CALENDARS",
    "WEEKDAYS",
    "BusinessCalendar",
    "CalendarError",
    "Target",
    "TargetKind",
    "compute_deadline",
    "is_open",
    "next_opening",
    "open_time_between",
    "parse_target",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
# A deadline search gives up after this many consecutive years without any open time.
LOOKAHEAD_YEARS = 3
# Year tables look a few days beyond their year, so keep clear of datetime's limits.
FIRST_YEAR = 1900
LAST_YEAR = 9998

ZERO = timedelta(0)
_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)

# An opening interval as minutes after local midnight, end exclusive; 1440 means "24:00".
Interval = tuple[int, int]
DayHours = tuple[Interval, ...]
Piece = tuple[datetime, datetime]

_NO_HOURS = "calendar has no opening hours"


class CalendarError(ValueError):
    """A calendar, target or start that cannot be used; the message says what to fix."""


# ---------------------------------------------------------------------------------------------
# Parsing the calendar JSON
# ---------------------------------------------------------------------------------------------

_CLOCK_RE = re.compile(r"(\d{1,2}):(\d{2})")
_INTERVAL_RE = re.compile(r"\s*(\S+?)\s*-\s*(\S+)\s*")
_JSON_KEYS = frozenset({"tz", "hours", "holidays", "closed", "open"})


def _parse_clock(text: str, *, allow_midnight_end: bool = False) -> int | None:
    """Minutes after midnight for "HH:MM", or None when the text is not a valid clock time."""
    match = _CLOCK_RE.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if allow_midnight_end and (hour, minute) == (24, 0):
        return MINUTES_PER_DAY
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def _format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_interval(text: object, weekday: str) -> Interval:
    """One "HH:MM-HH:MM" opening interval; the end may be "24:00"."""
    match = _INTERVAL_RE.fullmatch(text) if isinstance(text, str) else None
    start = _parse_clock(match[1]) if match else None
    end = _parse_clock(match[2], allow_midnight_end=True) if match else None
    if start is None or end is None:
        raise CalendarError(
            f'hours for "{weekday}": {text!r} is not an interval like "09:00-16:00" '
            '(24-hour clock, "24:00" allowed as an end)'
        )
    if start >= end:
        raise CalendarError(f'hours for "{weekday}": {text!r} must end after it starts')
    return start, end


def _hours_from_json(value: object) -> tuple[DayHours, ...]:
    if not isinstance(value, Mapping):
        raise CalendarError(
            'calendar needs "hours", an object like {"mon": ["09:00-16:00"], "sat": []}'
        )
    for key in value:
        if key not in WEEKDAYS:
            raise CalendarError(
                f"unknown weekday {key!r} in hours; use {', '.join(WEEKDAYS)} (missing = closed)"
            )
    week: list[DayHours] = []
    for weekday in WEEKDAYS:
        entries = value.get(weekday, [])
        if isinstance(entries, str) or not isinstance(entries, list):
            raise CalendarError(f'hours for "{weekday}" must be a list like ["09:00-16:00"]')
        week.append(tuple(_parse_interval(entry, weekday) for entry in entries))
    return tuple(week)


def _strings_from_json(data: Mapping[str, object], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CalendarError(f'calendar "{key}" must be a list of strings')
    return [str(item) for item in value]


def _dates_from_json(data: Mapping[str, object], key: str) -> frozenset[date]:
    dates = set()
    for text in _strings_from_json(data, key):
        try:
            dates.add(date.fromisoformat(text))
        except ValueError:
            raise CalendarError(
                f'calendar "{key}": {text!r} is not a date like "2026-12-24"'
            ) from None
    return frozenset(dates)


def _normalise_day(intervals: Iterable[Interval], weekday: str) -> DayHours:
    """Sorted intervals of one weekday; overlapping ones are refused, not silently merged."""
    ordered = tuple(sorted((int(start), int(end)) for start, end in intervals))
    for start, end in ordered:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise CalendarError(f'hours for "{weekday}": bad interval {start}-{end} (minutes)')
    for (start, end), (next_start, next_end) in itertools.pairwise(ordered):
        if next_start < end:
            raise CalendarError(
                f'hours for "{weekday}": {_format_clock(start)}-{_format_clock(end)} overlaps '
                f"{_format_clock(next_start)}-{_format_clock(next_end)}"
            )
    return ordered


# ---------------------------------------------------------------------------------------------
# Public holidays
# ---------------------------------------------------------------------------------------------


def _split_holiday_code(code: str) -> tuple[str, str | None]:
    country, _, subdivision = code.partition("-")
    return country, subdivision or None


@functools.cache
def _check_holiday_code(code: str) -> None:
    country, subdivision = _split_holiday_code(code)
    try:
        country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        raise CalendarError(
            f"unknown holiday code {code!r}; use an ISO country code such as FI or PL, "
            "optionally with a subdivision such as FI-01 or PL-14"
        ) from None


@functools.lru_cache(maxsize=512)
def _holiday_dates(codes: tuple[str, ...], year: int) -> frozenset[date]:
    """The public holidays of `year` in any of the regions; cached per (codes, year)."""
    dates: set[date] = set()
    for code in codes:
        country, subdivision = _split_holiday_code(code)
        dates.update(country_holidays(country, subdiv=subdivision, years=year).keys())
    return frozenset(dates)


# ---------------------------------------------------------------------------------------------
# The calendar value
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Weekly opening hours in a time zone, minus public holidays and closed dates.

    `hours` has seven entries, Monday first, each a sorted tuple of (start, end) minutes after
    local midnight (end 1440 = "24:00"). `holidays` holds region codes like "FI" or "PL-14".
    `closed` dates are shut; `open` dates override a public holiday and use their weekday's
    normal hours (so an `open` Sunday stays shut when Sundays have no hours).
    """

    tz: str
    hours: tuple[DayHours, ...]
    holidays: tuple[str, ...] = ()
    closed: frozenset[date] = frozenset()
    open: frozenset[date] = frozenset()
    _engine: "_Engine" = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(
                f"unknown time zone {self.tz!r}; use an IANA name such as Europe/Helsinki"
            ) from None
        if len(self.hours) != len(WEEKDAYS):
            raise CalendarError("hours must have seven weekdays, Monday first")
        codes = tuple(code.strip().upper() for code in self.holidays)
        for code in codes:
            _check_holiday_code(code)
        both = frozenset(self.closed) & frozenset(self.open)
        if both:
            raise CalendarError(
                f"dates cannot be both closed and open: {', '.join(map(str, sorted(both)))}"
            )
        # Normalise in place (the instance is frozen, hence object.__setattr__), so that equal
        # calendars compare and hash equal however they were spelled.
        hours = tuple(
            _normalise_day(day, name) for day, name in zip(self.hours, WEEKDAYS, strict=True)
        )
        object.__setattr__(self, "hours", hours)
        object.__setattr__(self, "holidays", codes)
        object.__setattr__(self, "closed", frozenset(self.closed))
        object.__setattr__(self, "open", frozenset(self.open))
        engine = _shared_engine(self.tz, hours, codes, self.closed, self.open)
        object.__setattr__(self, "_engine", engine)

    @property
    def has_hours(self) -> bool:
        """Whether any weekday has opening hours at all."""
        return any(self.hours)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "BusinessCalendar":
        """Build a calendar from its public JSON form (already decoded from text)."""
        if not isinstance(data, Mapping):
            raise CalendarError("a calendar must be a JSON object")
        unknown = sorted(set(data) - _JSON_KEYS)
        if unknown:
            raise CalendarError(
                f"unknown calendar key(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {', '.join(sorted(_JSON_KEYS))}"
            )
        tz = data.get("tz")
        if not isinstance(tz, str):
            raise CalendarError('calendar needs "tz", an IANA time zone such as "Europe/Helsinki"')
        return cls(
            tz=tz,
            hours=_hours_from_json(data.get("hours")),
            holidays=tuple(_strings_from_json(data, "holidays")),
            closed=_dates_from_json(data, "closed"),
            open=_dates_from_json(data, "open"),
        )

    def to_json(self) -> dict[str, object]:
        """The public JSON form; `from_json(to_json())` gives back an equal calendar."""
        return {
            "tz": self.tz,
            "hours": {
                name: [f"{_format_clock(start)}-{_format_clock(end)}" for start, end in day]
                for name, day in zip(WEEKDAYS, self.hours, strict=True)
                if day
            },
            "holidays": list(self.holidays),
            "closed": [day.isoformat() for day in sorted(self.closed)],
            "open": [day.isoformat() for day in sorted(self.open)],
        }


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


class TargetKind(enum.StrEnum):
    """How a target's amount is counted."""

    HOURS = "h"  # wall-clock (real elapsed) hours, calendar ignored
    BUSINESS_MINUTES = "bm"  # minutes of open time
    BUSINESS_HOURS = "bh"  # hours of open time
    BUSINESS_DAYS = "bd"  # open days, same wall-clock time
    CUTOFF = "cutoff"  # same day's closing if before the cutoff, else the next open day's


# Ten years' worth of each unit: enough for any promise, small enough to stay in range.
_MAX_AMOUNT = {
    TargetKind.HOURS: 87_600,
    TargetKind.BUSINESS_MINUTES: 5_256_000,
    TargetKind.BUSINESS_HOURS: 87_600,
    TargetKind.BUSINESS_DAYS: 3_650,
}
_AMOUNT_RE = re.compile(r"\s*(\d+)\s*(h|bm|bh|bd)\s*", re.IGNORECASE)
_CUTOFF_RE = re.compile(r"\s*cutoff\s+(\S+)\s*", re.IGNORECASE)
_TARGET_HELP = "use Nh, Nbm, Nbh, Nbd or 'cutoff HH:MM' (e.g. 24h, 16bh, 2bd, cutoff 16:00)"


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """An SLA target. `amount` is hours (h, bh), minutes (bm), days (bd), or for a cutoff
    the cutoff's minutes after local midnight."""

    kind: TargetKind
    amount: int

    def __str__(self) -> str:
        if self.kind is TargetKind.CUTOFF:
            return f"cutoff {_format_clock(self.amount)}"
        return f"{self.amount}{self.kind.value}"


def parse_target(text: str) -> Target:
    """Parse "24h", "90bm", "16bh", "2bd" or "cutoff 16:00" (case-insensitive)."""
    cutoff = _CUTOFF_RE.fullmatch(text)
    if cutoff:
        minutes = _parse_clock(cutoff[1], allow_midnight_end=True)
        if minutes is None:
            raise CalendarError(f"target {text!r}: the cutoff must be a time like 16:00")
        return Target(TargetKind.CUTOFF, minutes)
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        raise CalendarError(f"unknown SLA target {text!r}; {_TARGET_HELP}")
    kind, amount = TargetKind(match[2].lower()), int(match[1])
    if amount > _MAX_AMOUNT[kind]:
        raise CalendarError(f"target {text!r} is too large; at most {_MAX_AMOUNT[kind]}{kind}")
    return Target(kind, amount)


# ---------------------------------------------------------------------------------------------
# Compiled year tables
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Segment:
    """A stretch of UTC time over which the zone keeps one UTC offset."""

    start: datetime  # UTC
    end: datetime  # UTC, exclusive
    offset: timedelta
    wall_start: datetime  # naive local reading at `start`
    wall_end: datetime  # naive local reading just before `end`, as a limit


def _offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _find_transition(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first instant in (before, after] with a new offset; transitions are whole seconds."""
    old = _offset_at(zone, before)
    while after - before > _SECOND:
        middle = before + (after - before) // _SECOND // 2 * _SECOND
        if _offset_at(zone, middle) == old:
            before = middle
        else:
            after = middle
    return after


def _offset_segments(zone: ZoneInfo, lo: datetime, hi: datetime) -> tuple[_Segment, ...]:
    """Split the UTC span [lo, hi) where the zone's offset changes.

    Probing once a day assumes a zone never changes its offset twice within a day, which
    holds for every real DST rule.
    """
    cuts = [lo]
    probe, offset = lo, _offset_at(zone, lo)
    while probe < hi:
        following = min(probe + _DAY, hi)
        following_offset = _offset_at(zone, following)
        if following_offset != offset:
            cuts.append(_find_transition(zone, probe, following))
        probe, offset = following, following_offset
    cuts.append(hi)
    segments = []
    for start, end in itertools.pairwise(cuts):
        if start < end:
            offset = _offset_at(zone, start)
            wall_start, wall_end = (
                (start + offset).replace(tzinfo=None),
                (end + offset).replace(tzinfo=None),
            )
            segments.append(_Segment(start, end, offset, wall_start, wall_end))
    return tuple(segments)


@functools.lru_cache(maxsize=256)
def _year_segments(zone: ZoneInfo, year: int) -> tuple[_Segment, ...]:
    """Constant-offset segments covering every local date of `year`, with a few days to spare."""
    lo, hi = datetime(year - 1, 12, 30, tzinfo=UTC), datetime(year + 1, 1, 3, tzinfo=UTC)
    return _offset_segments(zone, lo, hi)


def _day_pieces(day: date, hours: DayHours, segments: tuple[_Segment, ...]) -> tuple[Piece, ...]:
    """The UTC pieces during which the local wall clock shows a time inside `hours` on `day`.

    Each interval is intersected with every constant-offset segment: a spring-forward gap
    drops the skipped wall times, and a fall-back repeat yields the repeated times twice.
    """
    if not hours:
        return ()
    midnight = datetime.combine(day, time())
    pieces = []
    for start, end in hours:
        wall_start, wall_end = (
            midnight + timedelta(minutes=start),
            midnight + timedelta(minutes=end),
        )
        for segment in segments:
            lo, hi = max(wall_start, segment.wall_start), min(wall_end, segment.wall_end)
            if lo < hi:
                pieces.append(
                    (
                        (lo - segment.offset).replace(tzinfo=UTC),
                        (hi - segment.offset).replace(tzinfo=UTC),
                    )
                )
    return _merge_touching(sorted(pieces))


def _merge_touching(pieces: list[Piece]) -> tuple[Piece, ...]:
    merged: list[Piece] = []
    for start, end in pieces:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclasses.dataclass(frozen=True, slots=True)
class _YearTable:
    """The open pieces of every local date of one year, flattened with running totals."""

    year: int
    first_ordinal: int  # date.toordinal() of 1 January
    segments: tuple[_Segment, ...]
    day_pieces: tuple[tuple[Piece, ...], ...]  # per day of the year
    open_days: tuple[int, ...]  # indices into day_pieces that have open time
    starts: tuple[datetime, ...]  # all pieces of the year, in order
    ends: tuple[datetime, ...]
    open_before_piece: tuple[timedelta, ...]  # open time of the year before each piece
    open_after_piece: tuple[timedelta, ...]  # ... and up to each piece's end
    total: timedelta

    @classmethod
    def build(
        cls, year: int, segments: tuple[_Segment, ...], day_pieces: tuple[tuple[Piece, ...], ...]
    ) -> "_YearTable":
        starts, ends, before, after = [], [], [], []
        total = ZERO
        for start, end in itertools.chain.from_iterable(day_pieces):
            starts.append(start)
            ends.append(end)
            before.append(total)
            total += end - start
            after.append(total)
        open_days = tuple(index for index, pieces in enumerate(day_pieces) if pieces)
        first_ordinal = date(year, 1, 1).toordinal()
        return cls(
            year, first_ordinal, segments, day_pieces, open_days,
            tuple(starts), tuple(ends), tuple(before), tuple(after), total,
        )  # fmt: skip

    def open_before(self, instant: datetime) -> timedelta:
        """Open time of this year before `instant` (UTC)."""
        index = bisect.bisect_right(self.starts, instant) - 1
        if index < 0:
            return ZERO
        return self.open_before_piece[index] + min(instant, self.ends[index]) - self.starts[index]

    def instant_with_open_before(self, amount: timedelta) -> datetime:
        """The earliest instant with `amount` (0 < amount <= total) of this year's open time
        before it; a target used up exactly at a closing time is due at that closing time."""
        index = bisect.bisect_left(self.open_after_piece, amount)
        return self.starts[index] + (amount - self.open_before_piece[index])

    def contains(self, instant: datetime) -> bool:
        """Whether `instant` (UTC) lies in one of this year's open pieces."""
        index = bisect.bisect_right(self.starts, instant) - 1
        return index >= 0 and instant < self.ends[index]

    def opening_at_or_after(self, instant: datetime) -> datetime | None:
        """`instant` if open, else the start of the year's next piece (None: none left)."""
        index = bisect.bisect_right(self.starts, instant) - 1
        if index >= 0 and instant < self.ends[index]:
            return instant
        return self.starts[index + 1] if index + 1 < len(self.starts) else None

    def wall_to_utc(self, wall: datetime) -> datetime:
        """The earliest instant showing the naive local reading `wall`; a reading skipped by a
        spring-forward gap maps to the instant the clocks jumped (the first one after it)."""
        for segment in self.segments:
            if wall < segment.wall_start:
                return segment.start
            if wall < segment.wall_end:
                return (wall - segment.offset).replace(tzinfo=UTC)
        return self.segments[-1].end

    def time_of_day(self, instant: datetime, local: datetime) -> timedelta:
        """How far into its local day `instant` is, by the wall clock, never going backwards.

        In the hour repeated when clocks fall back, the reading runs backwards; counting the
        repeat as the reading at which the clocks were turned back keeps wall-clock targets
        (bd, cutoff) monotonic: a later start never gets an earlier deadline.
        """
        wall = local.replace(tzinfo=None, fold=0)
        if local.fold:
            for previous, segment in itertools.pairwise(self.segments):
                if segment.start <= instant < segment.end:
                    wall = max(wall, previous.wall_end)
        return wall - datetime.combine(local.date(), time())

    def at_time_of_day(self, index: int, time_of_day: timedelta) -> datetime:
        """The instant on open day `index` at `time_of_day` by the wall clock, clamped to the
        day's first opening and last closing (so 15:30 onto a 09-12 Saturday is due 12:00)."""
        pieces = self.day_pieces[index]
        instant = self.wall_to_utc(datetime.fromordinal(self.first_ordinal + index) + time_of_day)
        return min(max(instant, pieces[0][0]), pieces[-1][1])


class _Engine:
    """A calendar's lazily built year tables; shared by equal calendars."""

    __slots__ = ("_closed", "_holiday_codes", "_hours", "_open", "_tables", "zone")

    def __init__(
        self,
        zone: ZoneInfo,
        hours: tuple[DayHours, ...],
        holiday_codes: tuple[str, ...],
        closed: frozenset[date],
        open_dates: frozenset[date],
    ) -> None:
        self.zone = zone
        self._hours = hours
        self._holiday_codes = holiday_codes
        self._closed = closed
        self._open = open_dates
        self._tables: dict[int, _YearTable] = {}

    def table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise CalendarError(f"dates must lie between {FIRST_YEAR} and {LAST_YEAR}")
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _YearTable:
        segments = _year_segments(self.zone, year)
        holidays = _holiday_dates(self._holiday_codes, year)
        first = date(year, 1, 1)
        day_pieces = []
        for offset in range((date(year + 1, 1, 1) - first).days):
            day = first + timedelta(days=offset)
            day_pieces.append(_day_pieces(day, self._hours_on(day, holidays), segments))
        return _YearTable.build(year, segments, tuple(day_pieces))

    def _hours_on(self, day: date, holidays: frozenset[date]) -> DayHours:
        if day in self._closed or (day in holidays and day not in self._open):
            return ()
        return self._hours[day.weekday()]

    def tables_from(self, year: int) -> Iterator[_YearTable]:
        """Year tables from `year` on; fails once LOOKAHEAD_YEARS in a row have no open time."""
        years_without_hours = 0
        for current in range(year, LAST_YEAR + 1):
            table = self.table(current)
            yield table
            years_without_hours = 0 if table.starts else years_without_hours + 1
            if years_without_hours >= LOOKAHEAD_YEARS:
                raise CalendarError(f"{_NO_HOURS} within {LOOKAHEAD_YEARS} years")

    def locate(self, instant: datetime) -> tuple[_YearTable, int, timedelta]:
        """The year table, day index and wall-clock time of day of a UTC instant."""
        local = instant.astimezone(self.zone)
        table = self.table(local.year)
        return table, local.toordinal() - table.first_ordinal, table.time_of_day(instant, local)

    def opening_at_or_after(self, instant: datetime) -> datetime:
        for table in self.tables_from(instant.astimezone(self.zone).year):
            opening = table.opening_at_or_after(instant)
            if opening is not None:
                return opening
        raise CalendarError(_beyond_range())

    def add_open_time(self, instant: datetime, amount: timedelta) -> datetime:
        """The earliest instant by which `amount` (> 0) of open time has passed since `instant`."""
        year = instant.astimezone(self.zone).year
        remaining = amount + self.table(year).open_before(instant)
        for table in self.tables_from(year):
            if remaining <= table.total:
                return table.instant_with_open_before(remaining)
            remaining -= table.total
        raise CalendarError(_beyond_range())

    def open_time_between(self, start: datetime, end: datetime) -> timedelta:
        first, last = start.astimezone(self.zone).year, end.astimezone(self.zone).year
        total = -self.table(first).open_before(start)
        for year in range(first, last):
            total += self.table(year).total
        return total + self.table(last).open_before(end)

    def nth_open_day_after(
        self, table: _YearTable, index: int, count: int
    ) -> tuple[_YearTable, int]:
        """The `count`-th (>= 1) day with open time after day `index` of `table`."""
        position = bisect.bisect_right(table.open_days, index)
        for current in self.tables_from(table.year):
            available = len(current.open_days) - position
            if count <= available:
                return current, current.open_days[position + count - 1]
            count -= available
            position = 0
        raise CalendarError(_beyond_range())


def _beyond_range() -> str:
    return f"the deadline would fall after the year {LAST_YEAR}"


@functools.lru_cache(maxsize=64)
def _shared_engine(
    tz: str,
    hours: tuple[DayHours, ...],
    holiday_codes: tuple[str, ...],
    closed: frozenset[date],
    open_dates: frozenset[date],
) -> _Engine:
    """One engine (and so one set of year tables) per distinct calendar value."""
    return _Engine(ZoneInfo(tz), hours, holiday_codes, closed, open_dates)


# ---------------------------------------------------------------------------------------------
# Public arithmetic
# ---------------------------------------------------------------------------------------------


def _to_utc(instant: datetime, what: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise CalendarError(
            f"{what} {instant.isoformat()} has no UTC offset; give an aware date-time "
            "such as 2026-12-04T15:55:00+02:00"
        )
    return instant.astimezone(UTC)


def is_open(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Whether the calendar is open at `instant` (opening times inclusive, closing exclusive)."""
    moment = _to_utc(instant, "instant")
    engine = calendar._engine
    return engine.table(moment.astimezone(engine.zone).year).contains(moment)


def open_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Business (open) time elapsed from `start` to `end`; zero when `end` is not later."""
    start_utc, end_utc = _to_utc(start, "start"), _to_utc(end, "end")
    if end_utc <= start_utc:
        return ZERO
    return calendar._engine.open_time_between(start_utc, end_utc)


def next_opening(calendar: BusinessCalendar, instant: datetime) -> datetime:
    """`instant` itself if the calendar is open then, else the next opening instant."""
    _require_hours(calendar)
    engine = calendar._engine
    return engine.opening_at_or_after(_to_utc(instant, "instant")).astimezone(engine.zone)


def compute_deadline(calendar: BusinessCalendar, start: datetime, target: Target | str) -> datetime:
    """When `target` falls due for something that arrived at `start`, in the calendar's zone.

    - `Nh`: N real hours after the start (DST changes do not stretch it), calendar ignored.
    - `Nbm`, `Nbh`: the earliest instant by which N minutes/hours of open time have passed;
      a target used up exactly at closing time is due then, not at the next opening.
      A zero target is due at the start itself, open or not.
    - `Nbd`: a start outside opening hours first moves to the next opening; the deadline is
      the same wall-clock time on the N-th following day with any open time, clamped to that
      day's first opening and last closing. `0bd` is the (moved) start.
    - `cutoff HH:MM`: a start on an open day, before the cutoff and before that day's last
      closing, is due at that closing; any other start at the next open day's last closing.
    """
    if isinstance(target, str):
        target = parse_target(target)
    moment = _to_utc(start, "start")
    engine = calendar._engine
    if target.kind is TargetKind.HOURS:
        # Through UTC: aware arithmetic in the local zone would add wall-clock hours.
        try:
            return (moment + timedelta(hours=target.amount)).astimezone(engine.zone)
        except OverflowError:
            raise CalendarError(_beyond_range()) from None
    _require_hours(calendar)
    if target.kind is TargetKind.BUSINESS_DAYS:
        deadline = _business_days(engine, moment, target.amount)
    elif target.kind is TargetKind.CUTOFF:
        deadline = _cutoff(engine, moment, timedelta(minutes=target.amount))
    else:
        unit = 1 if target.kind is TargetKind.BUSINESS_MINUTES else 60
        amount = timedelta(minutes=target.amount * unit)
        deadline = engine.add_open_time(moment, amount) if amount else moment
    return deadline.astimezone(engine.zone)


def _require_hours(calendar: BusinessCalendar) -> None:
    if not calendar.has_hours:
        raise CalendarError(f"{_NO_HOURS}: give at least one weekday an interval")


def _business_days(engine: _Engine, start: datetime, days: int) -> datetime:
    opening = engine.opening_at_or_after(start)
    if days == 0:
        return opening
    table, index, time_of_day = engine.locate(opening)
    table, index = engine.nth_open_day_after(table, index, days)
    return table.at_time_of_day(index, time_of_day)


def _cutoff(engine: _Engine, start: datetime, cutoff: timedelta) -> datetime:
    table, index, time_of_day = engine.locate(start)
    pieces = table.day_pieces[index]
    if pieces and start < pieces[-1][1] and time_of_day < cutoff:
        return pieces[-1][1]
    table, index = engine.nth_open_day_after(table, index, 1)
    return table.day_pieces[index][-1][1]


# ---------------------------------------------------------------------------------------------
# Built-in calendars
# ---------------------------------------------------------------------------------------------


def _week(weekdays: str, *intervals: str) -> dict[str, list[str]]:
    """Hours JSON giving the same intervals to each of the space-separated weekdays."""
    return {day: list(intervals) for day in weekdays.split()}


BUILTIN_CALENDARS: dict[str, BusinessCalendar] = {
    "helsinki-9-16": BusinessCalendar.from_json(
        {"tz": "Europe/Helsinki", "hours": _week("mon tue wed thu fri", "09:00-16:00"),
         "holidays": ["FI"]}
    ),
    "helsinki-8-17": BusinessCalendar.from_json(
        {"tz": "Europe/Helsinki", "hours": _week("mon tue wed thu fri", "08:00-17:00"),
         "holidays": ["FI"]}
    ),
    "warsaw-9-16": BusinessCalendar.from_json(
        {"tz": "Europe/Warsaw", "hours": _week("mon tue wed thu fri", "09:00-16:00"),
         "holidays": ["PL"]}
    ),
    "helsinki-weekdays-saturday-morning": BusinessCalendar.from_json(
        {"tz": "Europe/Helsinki",
         "hours": _week("mon tue wed thu fri", "08:00-17:00") | _week("sat", "09:00-12:00"),
         "holidays": ["FI"]}
    ),
    # Priority coverage: every day around the clock, public holidays included.
    "helsinki-24-7-priority": BusinessCalendar.from_json(
        {"tz": "Europe/Helsinki", "hours": _week(" ".join(WEEKDAYS), "00:00-24:00")}
    ),
}  # fmt: skip
