"""The SLA arithmetic against the support policy's promises, on real calendars and holidays.

Every expectation below was worked out by hand from a wall calendar; the comments say how.
Helsinki is +02:00 in winter and +03:00 in summer (clocks change on the last Sundays of March
and October); Warsaw is +01:00 / +02:00.
"""

import itertools
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiketti.sla.calendar import (
    BUILTIN_CALENDARS,
    WEEKDAYS,
    BusinessCalendar,
    CalendarError,
    Target,
    TargetKind,
    compute_deadline,
    is_open,
    next_opening,
    open_time_between,
    parse_target,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
# A built-in calendar's name, or calendar JSON.
type Spec = str | Mapping[str, object]
WEEKDAYS_9_16 = {day: ["09:00-16:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def calendar(name_or_json: Spec) -> BusinessCalendar:
    if isinstance(name_or_json, str):
        return BUILTIN_CALENDARS[name_or_json]
    return BusinessCalendar.from_json(name_or_json)


def deadline(spec: Spec, start: str, target: str) -> str:
    return compute_deadline(calendar(spec), datetime.fromisoformat(start), target).isoformat()


# (calendar, start, target, expected deadline)
POLICY_CASES = [
    # "We answer within 24 hours": real hours, weekends and holidays included.
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "24h", "2026-12-05T15:55:00+02:00",
                 id="24h-friday-before-independence-day"),
    # "Others within 24-48 hours".
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "48h", "2026-12-06T15:55:00+02:00",
                 id="48h-over-weekend"),
    # 6 Dec 2026 is a Sunday, so Independence Day costs nothing: Mon 7 is day 1, Tue 8 day 2.
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "2bd", "2026-12-08T15:55:00+02:00",
                 id="2bd-independence-day-on-sunday"),
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "1bd", "2026-12-07T15:55:00+02:00",
                 id="1bd-friday-to-monday"),
    # Payment problems the same day: before the 16:00 cutoff, due at today's closing...
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "cutoff 16:00",
                 "2026-12-04T16:00:00+02:00", id="cutoff-before"),
    # ... after it, at the next working day's closing.
    pytest.param("helsinki-9-16", "2026-12-04T16:05+02:00", "cutoff 16:00",
                 "2026-12-07T16:00:00+02:00", id="cutoff-after"),
    # A Saturday start is never "before the cutoff on an open day".
    pytest.param("helsinki-9-16", "2026-12-05T10:00+02:00", "cutoff 16:00",
                 "2026-12-07T16:00:00+02:00", id="cutoff-on-weekend"),
    # 16 business hours: 5 min on Friday, 7 h Monday, 7 h Tuesday, 1 h 55 min on Wednesday.
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "16bh", "2026-12-09T10:55:00+02:00",
                 id="16bh-over-weekend"),
    # Used up exactly at closing time: due at closing, not at the next opening.
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "5bm", "2026-12-04T16:00:00+02:00",
                 id="bm-used-up-at-closing"),
    pytest.param("helsinki-9-16", "2026-12-04T15:55+02:00", "6bm", "2026-12-07T09:01:00+02:00",
                 id="bm-one-minute-next-day"),
    # A zero target is due at the start itself, even outside opening hours.
    pytest.param("helsinki-9-16", "2026-12-05T03:00+02:00", "0bm", "2026-12-05T03:00:00+02:00",
                 id="0bm-is-the-start"),
    # 0bd: the start moved to the next opening.
    pytest.param("helsinki-9-16", "2026-12-05T03:00+02:00", "0bd", "2026-12-07T09:00:00+02:00",
                 id="0bd-moves-to-opening"),
    # A start outside hours moves to the next opening first: Sat -> Mon 09:00 -> Tue 09:00.
    pytest.param("helsinki-9-16", "2026-12-05T13:00+02:00", "1bd", "2026-12-08T09:00:00+02:00",
                 id="1bd-from-weekend"),
    pytest.param("helsinki-9-16", "2026-12-04T07:30+02:00", "1bd", "2026-12-07T09:00:00+02:00",
                 id="1bd-before-opening"),
    # 6 Dec 2027 is a Monday: Friday's 1bd skips it and lands on Tuesday.
    pytest.param("helsinki-9-16", "2027-12-03T15:55+02:00", "1bd", "2027-12-07T15:55:00+02:00",
                 id="1bd-independence-day-monday"),
    pytest.param("helsinki-9-16", "2027-12-03T16:30+02:00", "cutoff 16:00",
                 "2027-12-07T16:00:00+02:00", id="cutoff-independence-day-monday"),
    # 5 min Fri, Tue 7 h, Wed 7 h, Thu 1 h 55 min.
    pytest.param("helsinki-9-16", "2027-12-03T15:55+02:00", "16bh", "2027-12-09T10:55:00+02:00",
                 id="16bh-independence-day-monday"),
    # 6 Dec 2029 is a Thursday: Wednesday's 1bd is Friday, 2bd the next Monday.
    pytest.param("helsinki-9-16", "2029-12-05T10:00+02:00", "1bd", "2029-12-07T10:00:00+02:00",
                 id="1bd-independence-day-thursday"),
    pytest.param("helsinki-9-16", "2029-12-05T10:00+02:00", "2bd", "2029-12-10T10:00:00+02:00",
                 id="2bd-independence-day-thursday"),
    # Christmas 2026: Thu 24 (Christmas Eve is listed for FI), Fri 25, Sat 26 are holidays.
    pytest.param("helsinki-9-16", "2026-12-23T12:00+02:00", "1bd", "2026-12-28T12:00:00+02:00",
                 id="1bd-christmas"),
    pytest.param("helsinki-9-16", "2026-12-23T12:00+02:00", "2bd", "2026-12-29T12:00:00+02:00",
                 id="2bd-christmas"),
    pytest.param("helsinki-9-16", "2026-12-23T12:00+02:00", "8bh", "2026-12-28T13:00:00+02:00",
                 id="8bh-christmas"),
    pytest.param("helsinki-9-16", "2026-12-23T16:30+02:00", "cutoff 16:00",
                 "2026-12-28T16:00:00+02:00", id="cutoff-christmas"),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March; clocks also go forward on the
    # 28th, so the same wall-clock time on Tuesday carries the summer offset.
    pytest.param("helsinki-9-16", "2027-03-25T14:00+02:00", "1bd", "2027-03-30T14:00:00+03:00",
                 id="1bd-easter-and-dst"),
    pytest.param("helsinki-9-16", "2027-03-25T16:30+02:00", "cutoff 16:00",
                 "2027-03-30T16:00:00+03:00", id="cutoff-easter"),
    # 2 h Thursday, then 7 h each on Tue 30 and Wed 31: 16 h run out at Wednesday's closing.
    pytest.param("helsinki-9-16", "2027-03-25T14:00+02:00", "16bh", "2027-03-31T16:00:00+03:00",
                 id="16bh-easter"),
    pytest.param("helsinki-9-16", "2027-03-25T14:00+02:00", "17bh", "2027-04-01T10:00:00+03:00",
                 id="17bh-easter"),
    # Weekdays 8-17.
    pytest.param("helsinki-8-17", "2026-12-04T16:30+02:00", "1bd", "2026-12-07T16:30:00+02:00",
                 id="8-17-1bd"),
    pytest.param("helsinki-8-17", "2026-12-04T16:30+02:00", "8bh", "2026-12-07T15:30:00+02:00",
                 id="8-17-8bh"),
    pytest.param("helsinki-8-17", "2026-12-04T16:30+02:00", "cutoff 16:00",
                 "2026-12-07T17:00:00+02:00", id="8-17-cutoff-after"),
    pytest.param("helsinki-8-17", "2026-12-04T15:30+02:00", "cutoff 16:00",
                 "2026-12-04T17:00:00+02:00", id="8-17-cutoff-before"),
    # Saturday mornings: Friday 15:30 counted onto Saturday 09-12 is clamped to 12:00.
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-11T15:30+02:00", "1bd",
                 "2026-12-12T12:00:00+02:00", id="saturday-clamped-to-closing"),
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-11T08:30+02:00", "1bd",
                 "2026-12-12T09:00:00+02:00", id="saturday-clamped-to-opening"),
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-12T10:00+02:00", "1bd",
                 "2026-12-14T10:00:00+02:00", id="saturday-to-monday"),
    # 1 h on Friday and 3 h on Saturday: due exactly at Saturday's closing.
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-11T16:00+02:00", "4bh",
                 "2026-12-12T12:00:00+02:00", id="saturday-bh-at-closing"),
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-12T11:00+02:00", "cutoff 16:00",
                 "2026-12-12T12:00:00+02:00", id="saturday-cutoff-same-day"),
    # Saturday 12:30 is before the cutoff but after closing: the next open day's closing.
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-12T12:30+02:00", "cutoff 16:00",
                 "2026-12-14T17:00:00+02:00", id="saturday-cutoff-after-closing"),
    # Saturday 26 Dec 2026 is St Stephen's Day, so no Saturday morning that week.
    pytest.param("helsinki-weekdays-saturday-morning", "2026-12-23T15:30+02:00", "1bd",
                 "2026-12-28T15:30:00+02:00", id="saturday-holiday"),
    # Polish holidays: 11 November (Wednesday in 2026).
    pytest.param("warsaw-9-16", "2026-11-10T15:00+01:00", "1bd", "2026-11-12T15:00:00+01:00",
                 id="pl-independence-day"),
    # Constitution Day, Monday 3 May 2027 (1 May is a Saturday anyway).
    pytest.param("warsaw-9-16", "2027-04-30T12:00+02:00", "1bd", "2027-05-04T12:00:00+02:00",
                 id="pl-3-may"),
    # Christmas Eve (Wigilia) is a Polish public holiday from 2025 on ...
    pytest.param("warsaw-9-16", "2026-12-23T15:00+01:00", "1bd", "2026-12-28T15:00:00+01:00",
                 id="pl-wigilia-2026"),
    # ... but was a working day in 2024.
    pytest.param("warsaw-9-16", "2024-12-23T15:00+01:00", "1bd", "2024-12-24T15:00:00+01:00",
                 id="pl-wigilia-2024-working"),
    # Good Friday is not a Polish holiday, Easter Monday is.
    pytest.param("warsaw-9-16", "2027-03-25T10:00+01:00", "2bd", "2027-03-30T10:00:00+02:00",
                 id="pl-easter"),
    # Priority: every day around the clock, holidays included.
    pytest.param("helsinki-24-7-priority", "2026-12-24T10:00+02:00", "2bh",
                 "2026-12-24T12:00:00+02:00", id="24-7-christmas-eve"),
    pytest.param("helsinki-24-7-priority", "2026-12-04T10:00+02:00", "cutoff 16:00",
                 "2026-12-05T00:00:00+02:00", id="24-7-cutoff-closes-at-midnight"),
    pytest.param("helsinki-24-7-priority", "2026-12-05T10:00+02:00", "1bd",
                 "2026-12-06T10:00:00+02:00", id="24-7-1bd-weekend"),
    # DST forward (Sun 28 Mar 2027, 03:00 -> 04:00): that Sunday has 23 real hours, so 24
    # open hours from Saturday noon end at 13:00 local, the same as 24 real hours.
    pytest.param("helsinki-24-7-priority", "2027-03-27T12:00+02:00", "24bh",
                 "2027-03-28T13:00:00+03:00", id="24-7-24bh-spring-forward"),
    pytest.param("helsinki-9-16", "2027-03-27T12:00+02:00", "24h", "2027-03-28T13:00:00+03:00",
                 id="24h-spring-forward"),
    # DST back (Sun 31 Oct 2027, 04:00 -> 03:00): a 25-hour Sunday.
    pytest.param("helsinki-24-7-priority", "2027-10-30T12:00+03:00", "24bh",
                 "2027-10-31T11:00:00+02:00", id="24-7-24bh-fall-back"),
    pytest.param("helsinki-9-16", "2027-10-30T12:00+03:00", "24h", "2027-10-31T11:00:00+02:00",
                 id="24h-fall-back"),
    # A business day keeps the wall-clock time, so this one is 25 real hours long.
    pytest.param("helsinki-24-7-priority", "2027-10-30T12:00+03:00", "1bd",
                 "2027-10-31T12:00:00+02:00", id="24-7-1bd-fall-back"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "start", "target", "expected"), POLICY_CASES)
def test_support_policy_promises(spec: str, start: str, target: str, expected: str) -> None:
    assert deadline(spec, start, target) == expected


# Open every day 02:00-05:00 local: the DST changes happen inside these hours.
NIGHT_SHIFT = {"tz": "Europe/Helsinki", "hours": {day: ["02:00-05:00"] for day in
               ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}  # fmt: skip


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        # Spring forward: 02:00-03:00 and 04:00-05:00 exist, 2 real hours; the third is Monday.
        ("2027-03-28T02:00+02:00", "2bh", "2027-03-28T05:00:00+03:00"),
        ("2027-03-28T02:00+02:00", "3bh", "2027-03-29T03:00:00+03:00"),
        ("2027-03-28T02:30+02:00", "30bm", "2027-03-28T04:00:00+03:00"),
        # Fall back: 02:00-04:00 summer time, then 03:00-05:00 winter time: 4 real hours.
        ("2027-10-31T02:00+03:00", "3bh", "2027-10-31T04:00:00+02:00"),
        ("2027-10-31T02:00+03:00", "4bh", "2027-10-31T05:00:00+02:00"),
        ("2027-10-31T02:00+03:00", "5bh", "2027-11-01T03:00:00+02:00"),
    ],
)
def test_business_hours_across_dst_on_a_sunday_calendar(
    start: str, target: str, expected: str
) -> None:
    assert deadline(NIGHT_SHIFT, start, target) == expected


def test_dst_days_have_23_and_25_open_hours() -> None:
    def open_on(spec: Spec, day: date) -> timedelta:
        midnight = datetime.combine(day, time(), tzinfo=HELSINKI)
        following = datetime.combine(day + timedelta(days=1), time(), tzinfo=HELSINKI)
        return open_time_between(calendar(spec), midnight, following)

    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)
    assert open_on("helsinki-24-7-priority", spring) == timedelta(hours=23)
    assert open_on("helsinki-24-7-priority", autumn) == timedelta(hours=25)
    assert open_on(NIGHT_SHIFT, spring) == timedelta(hours=2)
    assert open_on(NIGHT_SHIFT, autumn) == timedelta(hours=4)


def test_a_business_day_onto_a_skipped_wall_clock_time_is_due_when_the_clocks_jump() -> None:
    # 03:30 does not exist on 28 Mar 2027 in Helsinki (03:00 -> 04:00): due at 04:00 summer
    # time, the first instant after the jump.
    assert deadline(NIGHT_SHIFT, "2027-03-27T03:30+02:00", "1bd") == "2027-03-28T04:00:00+03:00"
    assert deadline(NIGHT_SHIFT, "2027-03-27T04:30+02:00", "1bd") == "2027-03-28T04:30:00+03:00"


def test_a_start_in_the_repeated_hour_never_gets_an_earlier_business_day_deadline() -> None:
    # 03:50 summer time comes before 03:10 winter time; the later start must not be due earlier.
    first = deadline(NIGHT_SHIFT, "2027-10-31T03:50+03:00", "1bd")
    repeat = deadline(NIGHT_SHIFT, "2027-10-31T03:10+02:00", "1bd")
    assert first == "2027-11-01T03:50:00+02:00"
    assert repeat == "2027-11-01T04:00:00+02:00"


@pytest.mark.parametrize("tz", ["Europe/Helsinki", "Europe/Warsaw"])
def test_wall_clock_targets_are_monotonic_through_every_minute_of_a_clock_change(tz: str) -> None:
    # Open every night, so the changes happen inside opening hours; starts every minute from
    # three hours before to three hours after each change, and the same times the day before
    # (whose business day lands on the change day, possibly on a skipped wall-clock time).
    night = BusinessCalendar.from_json(
        {"tz": tz, "hours": {day: ["00:00-06:00"] for day in WEEKDAYS}}
    )
    changes = [datetime(2027, 3, 28, 1, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC)]
    for change, target in itertools.product(
        changes, ["1bd", "2bd", "cutoff 02:30", "cutoff 03:30"]
    ):
        starts = [
            change + timedelta(days=day, minutes=minute)
            for day in (-1, 0)
            for minute in range(-180, 181)
        ]
        due = [compute_deadline(night, start, target) for start in starts]
        for index in range(1, len(starts)):
            assert due[index - 1] <= due[index], (target, starts[index - 1], starts[index])


# --- closed and open dates ------------------------------------------------------------------


def test_closed_date_and_open_override() -> None:
    base = {"tz": "Europe/Helsinki", "hours": WEEKDAYS_9_16, "holidays": ["FI"]}
    start = "2026-12-22T15:00+02:00"
    # Normally: Wed 23 is the next business day.
    assert deadline(base, start, "1bd") == "2026-12-23T15:00:00+02:00"
    # Closed on the 23rd and Christmas Eve to Boxing Day are holidays: Monday 28.
    closed = base | {"closed": ["2026-12-23"]}
    assert deadline(closed, start, "1bd") == "2026-12-28T15:00:00+02:00"
    # Open on Christmas Eve after all (Thursday, normal Thursday hours).
    reopened = closed | {"open": ["2026-12-24"]}
    assert deadline(reopened, start, "1bd") == "2026-12-24T15:00:00+02:00"
    # 1 h on Tuesday, then all seven hours of Christmas Eve.
    assert deadline(reopened, start, "8bh") == "2026-12-24T16:00:00+02:00"


def test_closed_new_years_eve_is_not_a_holiday_by_itself() -> None:
    base = {"tz": "Europe/Helsinki", "hours": WEEKDAYS_9_16, "holidays": ["FI"]}
    start = "2026-12-30T10:00+02:00"
    assert deadline(base, start, "1bd") == "2026-12-31T10:00:00+02:00"
    # Closed on the 31st, and 1 January is a holiday: across the year to Monday 4 January.
    closed = base | {"closed": ["2026-12-31"]}
    assert deadline(closed, start, "1bd") == "2027-01-04T10:00:00+02:00"
    assert deadline(closed, start, "7bh") == "2027-01-04T10:00:00+02:00"


def test_an_open_date_uses_its_weekdays_hours() -> None:
    # Open on Saturday 26 Dec, but Saturdays have no hours: still closed.
    spec = {"tz": "Europe/Helsinki", "hours": WEEKDAYS_9_16, "holidays": ["FI"],
            "open": ["2026-12-26"]}  # fmt: skip
    assert deadline(spec, "2026-12-23T12:00+02:00", "1bd") == "2026-12-28T12:00:00+02:00"


def test_subdivision_holidays() -> None:
    # Åland (FI-01) also keeps Autonomy Day, 9 June (a Tuesday in 2026).
    start = "2026-06-08T10:00+03:00"
    mainland = {"tz": "Europe/Helsinki", "hours": WEEKDAYS_9_16, "holidays": ["FI"]}
    aland = mainland | {"holidays": ["FI-01"]}
    assert deadline(mainland, start, "1bd") == "2026-06-09T10:00:00+03:00"
    assert deadline(aland, start, "1bd") == "2026-06-10T10:00:00+03:00"


def test_several_intervals_a_day_and_lunch_break() -> None:
    spec = {"tz": "Europe/Helsinki", "hours": {"mon": ["13:00-16:00", "08:00-12:00"]}}
    # 11:00 Monday: 1 h before lunch, 3 h after, then next Monday.
    assert deadline(spec, "2026-12-07T11:00+02:00", "1bh") == "2026-12-07T12:00:00+02:00"
    assert deadline(spec, "2026-12-07T11:00+02:00", "61bm") == "2026-12-07T13:01:00+02:00"
    assert deadline(spec, "2026-12-07T11:00+02:00", "5bh") == "2026-12-14T09:00:00+02:00"
    # bd is clamped to first opening / last closing only: lunch stays as is.
    assert deadline(spec, "2026-12-07T12:30+02:00", "1bd") == "2026-12-14T13:00:00+02:00"


# --- is_open, next_opening and open_time_between --------------------------------------------


def test_is_open_boundaries() -> None:
    office = BUILTIN_CALENDARS["helsinki-9-16"]
    assert is_open(office, datetime(2026, 12, 7, 9, 0, tzinfo=HELSINKI))
    assert is_open(office, datetime(2026, 12, 7, 15, 59, 59, tzinfo=HELSINKI))
    assert not is_open(office, datetime(2026, 12, 7, 16, 0, tzinfo=HELSINKI))
    assert not is_open(office, datetime(2026, 12, 7, 8, 59, tzinfo=HELSINKI))
    assert not is_open(office, datetime(2026, 12, 5, 12, 0, tzinfo=HELSINKI))  # Saturday
    assert not is_open(office, datetime(2026, 12, 24, 12, 0, tzinfo=HELSINKI))  # Christmas Eve
    # The same instant given in another zone.
    assert is_open(office, datetime.fromisoformat("2026-12-07T07:30:00+00:00"))


def test_next_opening() -> None:
    office = BUILTIN_CALENDARS["helsinki-9-16"]
    friday_evening = datetime(2026, 12, 4, 16, 0, tzinfo=HELSINKI)
    assert next_opening(office, friday_evening) == datetime(2026, 12, 7, 9, tzinfo=HELSINKI)
    inside = datetime(2026, 12, 7, 10, tzinfo=HELSINKI)
    assert next_opening(office, inside) == inside


def test_open_time_between() -> None:
    office = BUILTIN_CALENDARS["helsinki-9-16"]
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=HELSINKI)
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=HELSINKI)
    assert open_time_between(office, friday, monday) == timedelta(hours=2)
    assert open_time_between(office, monday, friday) == timedelta(0)
    # Over the new year: 30 Dec and 31 Dec (7 h each), 1 Jan holiday, nothing more till Monday.
    assert open_time_between(
        office, datetime(2026, 12, 30, tzinfo=HELSINKI), datetime(2027, 1, 4, tzinfo=HELSINKI)
    ) == timedelta(hours=14)
    # 2027 has 261 weekdays; 8 holidays fall on them (1 and 6 Jan, Good Friday, Easter Monday,
    # Ascension Day, Midsummer Eve, Independence Day, Christmas Eve): 253 working days.
    assert open_time_between(
        office, datetime(2027, 1, 1, tzinfo=HELSINKI), datetime(2028, 1, 1, tzinfo=HELSINKI)
    ) == timedelta(hours=7 * 253)


def test_long_targets_cross_years() -> None:
    office = BUILTIN_CALENDARS["helsinki-9-16"]
    start = datetime(2026, 6, 1, 9, 0, tzinfo=HELSINKI)
    due = compute_deadline(office, start, "2000bh")
    assert due.year == 2027
    assert open_time_between(office, start, due) == timedelta(hours=2000)
    assert compute_deadline(office, start, "500bd") > compute_deadline(office, start, "499bd")


def test_output_is_in_the_calendars_zone() -> None:
    office = BUILTIN_CALENDARS["warsaw-9-16"]
    due = compute_deadline(office, datetime.fromisoformat("2026-12-04T12:00:00Z"), "24h")
    assert due.isoformat() == "2026-12-05T13:00:00+01:00"
    assert due.tzinfo == ZoneInfo("Europe/Warsaw")


# --- targets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", Target(TargetKind.HOURS, 24)),
        ("90bm", Target(TargetKind.BUSINESS_MINUTES, 90)),
        (" 16 BH ", Target(TargetKind.BUSINESS_HOURS, 16)),
        ("2bd", Target(TargetKind.BUSINESS_DAYS, 2)),
        ("cutoff 16:00", Target(TargetKind.CUTOFF, 16 * 60)),
        ("Cutoff 9:30", Target(TargetKind.CUTOFF, 9 * 60 + 30)),
    ],
)
def test_parse_target(text: str, expected: Target) -> None:
    assert parse_target(text) == expected
    assert parse_target(str(expected)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2x", "unknown SLA target"),
        ("", "unknown SLA target"),
        ("-1bd", "unknown SLA target"),
        ("2 days", "unknown SLA target"),
        ("cutoff", "unknown SLA target"),
        ("cutoff 25:00", "cutoff must be a time like 16:00"),
        ("cutoff 16", "cutoff must be a time like 16:00"),
        ("99999bd", "too large"),
    ],
)
def test_bad_targets(text: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        parse_target(text)


# --- calendar JSON ----------------------------------------------------------------------------


def test_json_round_trip_sorts_and_normalises() -> None:
    data = {
        "tz": "Europe/Helsinki",
        "hours": {"sat": ["13:00-15:00", "09:00-12:00"], "sun": ["00:00-24:00"]},
        "holidays": ["fi-01", "PL"],
        "closed": ["2026-12-31", "2026-12-23"],
        "open": ["2026-12-24"],
    }
    parsed = BusinessCalendar.from_json(data)
    assert parsed.to_json() == {
        "tz": "Europe/Helsinki",
        "hours": {"sat": ["09:00-12:00", "13:00-15:00"], "sun": ["00:00-24:00"]},
        "holidays": ["FI-01", "PL"],
        "closed": ["2026-12-23", "2026-12-31"],
        "open": ["2026-12-24"],
    }
    assert BusinessCalendar.from_json(parsed.to_json()) == parsed
    assert hash(BusinessCalendar.from_json(parsed.to_json())) == hash(parsed)


def test_builtin_calendars_round_trip() -> None:
    for name, builtin in BUILTIN_CALENDARS.items():
        assert BusinessCalendar.from_json(builtin.to_json()) == builtin, name
    saturday = BUILTIN_CALENDARS["helsinki-weekdays-saturday-morning"].to_json()
    assert saturday["hours"] == {
        **{day: ["08:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
        "sat": ["09:00-12:00"],
    }
    assert BUILTIN_CALENDARS["helsinki-24-7-priority"].to_json()["holidays"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": {"monday": ["09:00-16:00"]}}, "unknown weekday 'monday'"),
        ({"hours": {"mon": ["9-16"]}}, "not an interval like"),
        ({"hours": {"mon": ["09:00-25:00"]}}, "not an interval like"),
        ({"hours": {"mon": ["24:00-24:00"]}}, "not an interval like"),
        ({"hours": {"mon": ["16:00-09:00"]}}, "must end after it starts"),
        ({"hours": {"mon": ["09:00-12:00", "11:00-16:00"]}}, "overlaps"),
        ({"hours": {"mon": "09:00-16:00"}}, "must be a list"),
        ({"hours": ["09:00-16:00"]}, 'calendar needs "hours"'),
        ({"holidays": ["XX"]}, "unknown holiday code 'XX'"),
        ({"holidays": ["FI-99"]}, "unknown holiday code 'FI-99'"),
        ({"holidays": "FI"}, "must be a list of strings"),
        ({"tz": "Europe/Espoo"}, "unknown time zone"),
        ({"tz": None}, 'calendar needs "tz"'),
        ({"closed": ["24.12.2026"]}, "not a date like"),
        ({"closed": ["2026-12-24"], "open": ["2026-12-24"]}, "both closed and open"),
        ({"holiday": ["FI"]}, "unknown calendar key"),
    ],
)
def test_bad_calendar_json(change: dict[str, object], message: str) -> None:
    data = {"tz": "Europe/Helsinki", "hours": WEEKDAYS_9_16} | change
    with pytest.raises(CalendarError, match=message):
        BusinessCalendar.from_json(data)


def test_business_target_on_a_calendar_without_hours() -> None:
    closed_for_good = BusinessCalendar.from_json({"tz": "Europe/Helsinki", "hours": {}})
    start = datetime(2026, 12, 4, 12, tzinfo=HELSINKI)
    for target in ("1bm", "2bh", "1bd", "cutoff 16:00"):
        with pytest.raises(CalendarError, match="no opening hours"):
            compute_deadline(closed_for_good, start, target)
    # Wall-clock hours need no calendar.
    assert compute_deadline(closed_for_good, start, "24h") == start + timedelta(days=1)
    assert not is_open(closed_for_good, start)


def test_opening_hours_only_on_closed_dates_give_up_after_a_few_years() -> None:
    # Mondays only, every Monday closed for the next years: no open time within reach.
    mondays = [date(2026, 12, 7) + timedelta(weeks=week) for week in range(52 * 4)]
    spec = {"tz": "UTC", "hours": {"mon": ["09:00-10:00"]},
            "closed": [day.isoformat() for day in mondays]}  # fmt: skip
    with pytest.raises(CalendarError, match="no opening hours within 3 years"):
        deadline(spec, "2026-12-01T12:00+00:00", "1bm")


def test_naive_start_is_refused() -> None:
    office = BUILTIN_CALENDARS["helsinki-9-16"]
    naive = datetime(2026, 12, 4, 12)  # noqa: DTZ001 - the point of the test
    with pytest.raises(CalendarError, match="has no UTC offset"):
        compute_deadline(office, naive, "1bd")
    with pytest.raises(CalendarError, match="has no UTC offset"):
        is_open(office, naive)
    with pytest.raises(CalendarError, match="has no UTC offset"):
        open_time_between(office, naive, naive)


def test_holiday_data_the_tests_rely_on() -> None:
    """Pin what the `holidays` package lists, so a data change shows up here first."""
    from holidays import country_holidays

    finland = country_holidays("FI", years=[2026, 2027])
    assert date(2026, 12, 24) in finland  # Christmas Eve is listed for FI
    assert date(2027, 3, 26) in finland  # Good Friday
    assert date(2027, 3, 29) in finland  # Easter Monday
    poland = country_holidays("PL", years=[2024, 2026, 2027])
    assert date(2026, 12, 24) in poland  # Wigilia, from 2025 on
    assert date(2024, 12, 24) not in poland
    assert date(2027, 3, 26) not in poland  # no Good Friday in Poland
    assert date(2027, 5, 3) in poland
