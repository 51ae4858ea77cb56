"""SLA deadline arithmetic: deadlines per second for 2bd, 16bh and `cutoff 16:00`.

Single-threaded (one core), on the helsinki-9-16 calendar with Finnish holidays, over starts
spread across 2026-2029 (so weekends, holidays and DST changes all come up). Target: at least
50,000 deadlines/s each.
"""

import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tiketti.sla.calendar import BUILTIN_CALENDARS, compute_deadline, parse_target

TARGETS = ("2bd", "16bh", "cutoff 16:00")
STARTS = 20_000
SECONDS_PER_TARGET = 1.5


def spread_of_starts(count: int) -> list[datetime]:
    """Random whole-second starts over four years, given in the calendar's own zone."""
    rng = random.Random(20261204)
    first = datetime(2026, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=4 * 365).total_seconds())
    zone = ZoneInfo(BUILTIN_CALENDARS["helsinki-9-16"].tz)
    return [(first + timedelta(seconds=rng.randrange(span))).astimezone(zone) for _ in range(count)]


def deadlines_per_second(target_text: str, starts: list[datetime]) -> float:
    calendar = BUILTIN_CALENDARS["helsinki-9-16"]
    target = parse_target(target_text)
    for start in starts:  # warm up: builds the year tables once
        compute_deadline(calendar, start, target)
    done, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < SECONDS_PER_TARGET:
        for start in starts:
            compute_deadline(calendar, start, target)
        done += len(starts)
    return done / elapsed


def run() -> None:
    starts = spread_of_starts(STARTS)
    for target in TARGETS:
        print(f"sla {target}: {deadlines_per_second(target, starts):,.0f} deadlines/s", flush=True)
