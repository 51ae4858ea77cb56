"""Subjects: reply/forward prefixes and the ticket numbers they carry."""

from __future__ import annotations

import re

from .headers import _WHITESPACE

# --------------------------------------------------------------------------- subjects & ids

_REPLY_PREFIXES = (
    r"re|fwd?|aw|wg|sv|vs|vl|vb|odp|pd|prz|antw|doorst|tr|ref|rv|res|rif|ynt|ilt|enc|"
    r"回复|回覆|答复|转发|轉寄"
)
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:\[\s*\]\s*)?(?:"
    + _REPLY_PREFIXES
    + r")\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:\uff1a]\s*",  # ASCII or full-width colon
    re.IGNORECASE,
)


def normalize_subject(subject: str) -> str:
    """Strip reply/forward prefixes (en/fi/pl and others; repeated, mixed, ``Re[2]:``)."""
    text = _WHITESPACE.sub(" ", subject).strip()
    while True:
        stripped = _SUBJECT_PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def find_ticket_numbers(
    text: str, prefix_pattern: str = r"[A-Z]{1,5}", *, ignore_case: bool = False
) -> list[str]:
    """Ticket references like ``[AB-1234]`` (returned first) and bare ``AB-1234``.

    The prefix is upper-case (``prefix_pattern`` is matched case-sensitively) unless
    ``ignore_case``: then ``ab-1234`` counts too, and is returned as ``AB-1234``. A bare
    token must stand alone (not ``XAB-1234``, not ``ISO-8859-1``). Duplicates are removed.
    """
    prefix = r"(?ai:" + prefix_pattern + r")" if ignore_case else r"(?:" + prefix_pattern + r")"
    token = prefix + r"-\d+"
    bracketed = re.findall(r"\[\s*(" + token + r")\s*\]", text)
    bare = re.findall(r"(?<![\w-])(" + token + r")(?![\w]|-\d)", text)
    found = [*bracketed, *bare]
    return list(dict.fromkeys(n.upper() for n in found) if ignore_case else dict.fromkeys(found))
