"""Why processing a stored message failed, and when it is tried again.

A message is stored before anything reads it, so a failure while processing loses
nothing. A passing one (the database locked beyond its busy timeout, unreachable, or its
connection lost) is retried by the worker after a pause that doubles each time, from one
minute up to an hour; anything else (a bug, a message nothing can read) waits for an
admin (`tiketti mail retry`, or "Process again" in the desk) after a fix.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError

FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)


def is_passing(error: BaseException) -> bool:
    """Whether the error is the database's state rather than the message's or the code's:
    trying again later, unchanged, can succeed."""
    return isinstance(error, OperationalError | InterfaceError)


def next_attempt_at(failure_count: int, now: datetime) -> datetime:
    """When to try again after the `failure_count`-th failure (1: the first)."""
    pause = FIRST_PAUSE * (1 << max(0, min(failure_count - 1, 10)))
    return now + min(pause, LONGEST_PAUSE)


def summary(error: BaseException) -> str:
    """The error in one line, for logs and the one line a command prints."""
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:300]
