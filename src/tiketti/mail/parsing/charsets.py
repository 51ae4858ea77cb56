"""Decoding bytes whose charset is declared wrongly, partly or not at all.

Every text we return is scrubbed of NUL characters and lone surrogates so that it can be
stored in PostgreSQL as-is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .detect import guess

# --------------------------------------------------------------------------- charsets

# Labels mail software writes versus the codec that actually decodes such mail. Like browsers
# (WHATWG Encoding), treat Latin-1 as its superset windows-1252 and use the supersets of the
# East Asian legacy charsets, which senders routinely mislabel.
_CHARSET_ALIASES = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "l1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "big5": "big5hkscs",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "tis-620": "cp874",
}
# Declared single-byte charsets that are really UTF-8 surprisingly often (web forms, scripts).
_OFTEN_MISLABELLED_UTF8 = frozenset({"ascii", "us-ascii", "cp1252", "iso-8859-15", "latin-9"})
_SEVEN_BIT_TRANSFORMS = ("utf-7", "utf7", "utf-16", "utf-32", "hz", "iso2022")
_CHARSET_NAME = re.compile(r"[a-z0-9_.:+-]{1,40}")


def _normalize_charset(name: str | None) -> str:
    """Lower-case a charset label, undo common label bugs, map it to the codec we use."""
    if not name:
        return ""
    label = name.strip().strip("\"'").lower()
    # Apple Mail once wrote charset="charset=us-ascii".
    label = label.removeprefix("charset=").strip("\"'")
    if not _CHARSET_NAME.fullmatch(label):
        return ""
    return _CHARSET_ALIASES.get(label, label)


def _decode_bytes(data: bytes, *declared: str, hints: Sequence[str] = ()) -> tuple[str, str]:
    """Decode ``data`` trying the declared charsets, then UTF-8, then a guess (`detect`).

    ``hints``: charsets the message declares elsewhere (its other parts), for bytes that
    declare none themselves. Returns ``(text, charset_used)``. Never raises.
    """
    candidates = [c for c in declared if c]
    # Plain ASCII decodes the same in every ASCII-compatible charset; not so in the 7-bit
    # transformation formats (ISO-2022-JP switches with ESC sequences, UTF-7 with "+...-").
    first = candidates[0] if candidates else "ascii"
    if data.isascii() and b"\x1b" not in data and not first.startswith(_SEVEN_BIT_TRANSFORMS):
        return data.decode("ascii"), first
    if candidates and candidates[0] in _OFTEN_MISLABELLED_UTF8:
        candidates.insert(0, "utf-8")
    for charset in (*candidates, "utf-8"):
        try:
            return data.decode(charset), charset
        except UnicodeDecodeError:
            if charset == "utf-8" and (text := _mostly_utf8(data)) is not None:
                return text, charset
        except (LookupError, UnicodeError, ValueError):
            continue
    return guess(data, *hints)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a stray bad byte or two (typically a name truncated mid-character) is still
    UTF-8: reading it as windows-1252 would garble every other character instead."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    if bad <= 2 and good >= 4 * bad:
        return data.decode("utf-8", "ignore")
    return None


def _scrub(text: str) -> str:
    """Drop NUL characters and lone surrogates: PostgreSQL text columns reject both."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text
