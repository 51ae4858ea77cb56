"""Reading mbox files the strict way, as mutt does: one message per From_ line.

Many real mbox files (mboxo, mboxcl) leave a body line such as "From now on …" unquoted,
so "every line starting with 'From '" (Python's `mailbox.mbox`) splits messages apart.
Here a line separates messages only if it is a well-formed From_ line *and* starts the
file or follows an empty line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WEEKDAY = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_ZONE = rb"(?:[A-Z]{2,5}|[+-]\d{4})"
# "From " envelope-sender asctime-date: "From alice@example.com Mon Nov 30 10:00:00 2026".
# The sender has no spaces ("MAILER-DAEMON", an address; some tools leave it out); the
# seconds may be missing, a time zone may stand before the year, and text (a time zone,
# "remote from …") may follow it.
FROM_LINE = re.compile(
    rb"From +(?:\S+ +)?"
    + _WEEKDAY
    + rb" +"
    + _MONTH
    + rb" +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})?"
    + rb"(?: +"
    + _ZONE
    + rb"){0,2}"
    + rb" +\d{4}(?:[ \t].*)?",
    re.DOTALL,
)
# mboxrd quoting: ">From ", ">>From " … stand for one '>' less.
_QUOTED_FROM = re.compile(rb">+From ")
_EMPTY_LINES = (b"\n", b"\r\n")


def is_from_line(line: bytes) -> bool:
    """Whether `line` (with or without its line ending) is a well-formed From_ line."""
    return FROM_LINE.fullmatch(line.rstrip(b"\r\n")) is not None


def read_mbox(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The raw messages of an mbox, given its lines as bytes (a file opened in binary
    mode: it is read line by line, one message held at a time).

    A message starts at a From_ line (`is_from_line`) at the start of the file or after
    an empty line; that line is left out, and so is the empty line before it and one
    empty line at the end of the file (the mbox's, not the message's). mboxrd quoting
    is undone (">From " becomes "From ", ">>From " ">From "); all other bytes, line
    endings included, are kept as they are. Text before the first From_ line is a
    message of its own, so nothing is lost; blank messages are left out."""
    chunks: list[bytes] = []
    blank: bytes | None = None  # an empty line, held back: it may precede a From_ line
    at_start = True
    for line in lines:
        if (at_start or blank is not None) and line.startswith(b"From ") and is_from_line(line):
            yield from _nonblank(chunks)
            chunks, blank = [], None
        elif line in _EMPTY_LINES:
            if blank is not None:
                chunks.append(blank)
            blank = line
        else:
            if blank is not None:
                chunks.append(blank)
                blank = None
            chunks.append(line[1:] if _QUOTED_FROM.match(line) else line)
        at_start = False
    yield from _nonblank(chunks)


def _nonblank(chunks: list[bytes]) -> Iterator[bytes]:
    """The message made of these lines, unless it is empty or only whitespace."""
    raw = b"".join(chunks)
    if raw.strip():
        yield raw
