"""A header block broken by lines that are no headers, made readable as mail clients do.

The stdlib parser ends the header block at the first line that is neither a header nor a
continuation: an unindented base64 line (a broken X-Face or a mangled fold) or a first line
some gateway put in front makes From and Subject part of the body. Mail clients skip such
lines. So do we, but only when real headers follow them before the blank line: a message
whose body simply starts without the blank line keeps its body.
"""

from __future__ import annotations

import re

_HEADER = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)([ \t]*):")
# Names that say "this is still the header block" (anything else with a colon might be
# the first line of a body that lacks the blank line, "Note: ...").
_KNOWN = re.compile(
    rb"(?i)^(from|to|cc|bcc|subject|date|message-id|mime-version|content-[a-z-]+|received|"
    rb"return-path|reply-to|in-reply-to|references|sender|delivered-to|user-agent|"
    rb"dkim-signature|authentication-results|thread-index|thread-topic|importance|"
    rb"auto-submitted|precedence|list-[a-z-]+|x-[a-z0-9-]+)$"
)
MAX_HEADER_LINES = 2000


def _kind(line: bytes, first: bool) -> str:
    if line[:1] in (b" ", b"\t"):
        return "continuation"
    match = _HEADER.match(line)
    if match is None:
        return "envelope" if first and line.startswith(b"From ") else "garbage"
    return "known" if _KNOWN.match(match.group(1)) else "header"


def repair_header_block(raw: bytes) -> tuple[bytes, int] | None:
    """`raw` with the non-header lines of its header block left out (a line after Subject
    is folded into it instead) and obsolete ``Name  : value`` lines (RFC 5322 section 4.5)
    written as ``Name: value``, and how many lines were left out; None if there is nothing
    to do."""
    lines = raw.splitlines(keepends=True)
    kinds: list[str] = []
    for index, line in enumerate(lines[:MAX_HEADER_LINES]):
        if not line.strip(b"\r\n") or line.startswith(b"--"):
            break  # the blank line, or a MIME boundary: the headers that follow are a part's
        kinds.append(_kind(line.rstrip(b"\r\n"), index == 0))
    last_known = max((i for i, kind in enumerate(kinds) if kind == "known"), default=-1)
    if last_known < 0:
        return None
    garbage = {i for i, kind in enumerate(kinds[:last_known]) if kind == "garbage"}
    obsolete = {
        i
        for i, kind in enumerate(kinds[: last_known + 1])
        if kind != "continuation" and (match := _HEADER.match(lines[i])) and match.group(2)
    }
    if not garbage and not obsolete:
        return None
    out: list[bytes] = []
    current = b""  # the name of the header the previous line belongs to
    for index, line in enumerate(lines):
        if index in garbage:
            if current == b"subject":
                out.append(b" " + line)
            continue
        if index < len(kinds) and kinds[index] in ("known", "header"):
            name, _, rest = line.partition(b":")
            current = name.strip().lower()
            line = name.strip() + b":" + rest if index in obsolete else line
        out.append(line)
    return b"".join(out), len(garbage)
