"""Address headers (From, To, Cc, Reply-To) as decoded ``Address`` values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import getaddresses

from .charsets import _scrub
from .headers import _FOLDING, _fix_8bit, decode_header_value
from .results import Address

_SPECIALS = frozenset('()<>[]:;@\\,."')
_BARE_ENCODED_WORD = re.compile(r'(?<!")=\?[^?\s"]+\?[bBqQ]\?[^?"]*\?=(?!")')


def _protect_encoded_words(value: str) -> str:
    """Quote encoded words whose text holds address specials (``:``, ``@``, ``,``...).

    RFC 2047 forbids them in phrase words, but senders (and attackers) use them; unquoted, the
    address parser would read ``=?utf-8?q?Eve_Bcc:_x@y?=`` as a group or an address.
    """

    def quote(match: re.Match[str]) -> str:
        word = match.group(0)
        return f'"{word}"' if _SPECIALS.intersection(word[2:-2]) else word

    return _BARE_ENCODED_WORD.sub(quote, value) if "=?" in value else value


_ADDR_SPEC = re.compile(r"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+\.[^\s<>()\[\],;:\"@]+")


_QUOTED_DOT_ATOM = re.compile(
    r'^"([a-z0-9!#$%&\'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)*)"@'
)


def _unquote_local_part(address: str) -> str:
    """``"john.doe"@example.com`` is ``john.doe@example.com`` (RFC 5321 4.1.2: the quotes
    change nothing there); ``"john doe"@example.com`` needs its quotes and keeps them."""
    if not address.startswith('"'):
        return address
    return _QUOTED_DOT_ATOM.sub(r"\1@", address, count=1)


def _parse_addresses(raw_values: Sequence[str], *charsets: str) -> tuple[Address, ...]:
    """Parse address headers into decoded ``Address`` tuples, tolerating garbage.

    RFC 2047 display names are decoded *after* splitting: a decoded name may contain commas.
    """
    if not raw_values:
        return ()
    unfolded = [
        _protect_encoded_words(_FOLDING.sub("", _fix_8bit(value, *charsets)))
        for value in raw_values
    ]
    try:
        pairs = getaddresses(unfolded)
    except Exception:  # the stdlib address parser has raised on odd input before
        pairs = []
    if not pairs or any(not address for _, address in pairs):
        pairs = getaddresses(unfolded, strict=False)
    result: list[Address] = []
    seen: set[str] = set()
    for name, address in pairs:
        address = _unquote_local_part(_scrub(address.strip().strip("<>").lower()))
        # A name without address is kept ("MAILER-DAEMON <>" says who sent a bounce).
        key = address or f"name:{name}"
        if key == "name:" or key in seen:
            continue
        seen.add(key)
        result.append(Address(decode_header_value(name), address))
    if not result:
        # Last resort for headers like "Bob <bob@x> Bobby <bobby@x>" without commas.
        for address in _ADDR_SPEC.findall(" ".join(unfolded)):
            if address.lower() not in seen:
                seen.add(address.lower())
                result.append(Address("", _scrub(address.lower())))
    return tuple(result)
