"""Guessing the charset of 8-bit bytes that carry none: a raw subject, a part without label.

Only called for bytes that are neither ASCII nor UTF-8 and have no charset of their own, so
ordinary mail never pays for it. Each candidate codec that decodes the bytes without error
is scored by charset-normalizer's mess detector (odd symbols, accents in odd places) plus
what it cannot see in a short subject: a word mixing Latin and Cyrillic or Greek letters
(KOI8-R read as windows-1251 gives ``Hyvдд``), capitals inside words (``рТЙЧЕФ``),
half-width katakana (Cyrillic read as Shift_JIS), Latin words made only of accented letters
(Cyrillic read as windows-1250), Hangul next to Han characters, and symbols or other
scripts inside a Latin word (``Dij┼at``). The lowest score wins; on
a tie, the earlier codec in ``CANDIDATES`` (the more common in mail).
"""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer.md import mess_ratio

# Declared charsets of the message come first (see `decode_unlabelled`); these after them.
CANDIDATES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1257",
    "cp1253",
    "gb18030",
    "cp932",
    "big5hkscs",
    "euc_jp",
    "cp949",
)
# A charset the message declares that scores under this is believed without a contest.
PLAUSIBLE = 0.3
SAMPLE_CHARS = 2000

_WORD = re.compile(r"[^\W\d_]+")


def _script(char: str) -> str:
    if char < "\x80":
        return "latin"
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "HANGUL", "CJK", "HIRAGANA", "KATAKANA"):
        if name.startswith(script):
            return script.lower()
    return "other"


def _word_penalty(word: str) -> float:
    """How unlikely one word is as written text (0 for an ordinary word)."""
    if word.isascii():
        return 0.0
    if any("\uff61" <= char <= "\uff9f" for char in word):
        return 1.0  # half-width katakana: legacy terminals, not mail
    scripts = {_script(char) for char in word}
    if {"latin", "cyrillic"} <= scripts or {"latin", "greek"} <= scripts:
        return 1.0
    if {"hangul", "cjk"} <= scripts:
        return 0.5
    if scripts == {"latin"} and len(word) >= 3 and not any(c.isascii() for c in word):
        return 0.5
    inner_capitals = sum(1 for char in word[1:] if char.isupper() and not char.isascii())
    if inner_capitals and not word.isupper():
        return 0.5
    if word.isupper() and scripts & {"cyrillic", "greek"} and len(word) >= 3:
        return 0.2  # ТЕСТ is possible, but тест is likelier
    return 0.0


def plausibility_penalty(text: str) -> float:
    """Mess ratio plus the share of unlikely words: 0 for clean text."""
    start = next((i for i, char in enumerate(text) if char > "\x7f"), 0)
    sample = text[max(0, start - 50) : start + SAMPLE_CHARS]
    words = _WORD.findall(sample)
    unusual = [word for word in words if not word.isascii()]
    penalty = sum(_word_penalty(word) for word in unusual) + _odd_ones_in_latin_words(sample)
    return mess_ratio(sample, 1.0) + penalty / max(len(unusual), 1)


def _odd_ones_in_latin_words(text: str) -> int:
    """Characters of another script, or symbols, between two ASCII letters (``Dij┼at``,
    ``Dij奱t``): where an accented Latin letter belonged."""
    return sum(
        1
        for before, char, after in zip(text, text[1:], text[2:], strict=False)
        if char > "\x7f"
        and before.isascii()
        and before.isalpha()
        and after.isascii()
        and after.isalpha()
        and _script(char) != "latin"
    )


def guess(data: bytes, *hints: str) -> tuple[str, str]:
    """Decode bytes with no charset of their own: the message's declared charsets
    (`hints`) if one fits, else the likeliest of `CANDIDATES`. Never raises."""
    scored: list[tuple[float, int, str, str]] = []
    declared = [*dict.fromkeys(hint for hint in hints if hint)]
    order = [*declared, *(codec for codec in CANDIDATES if codec not in declared)]
    for index, codec in enumerate(order):
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeError, ValueError):
            continue
        penalty = plausibility_penalty(text)
        if index < len(declared) and penalty < PLAUSIBLE:
            return text, codec  # declared by the message itself, and it fits
        scored.append((round(penalty, 2), index, text, codec))
    if not scored:
        return data.decode("latin-1"), "latin-1"  # maps every byte
    _, _, text, codec = min(scored)
    return text, codec
