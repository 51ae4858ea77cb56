"""Inline PGP armour around the text of a message (RFC 4880, section 7).

A clear-signed message wraps its text in ``-----BEGIN PGP SIGNED MESSAGE-----``, armour
headers (``Hash: SHA256``) and a signature block, and dash-escapes its lines that start with
a dash (``- --``). Staff read the signed text: the armour goes, the escaping is undone. We
do not verify signatures, so a signature block alone is dropped too. Armour that does not
close is left as it is: never lose text.
"""

from __future__ import annotations

import re

SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
SIGNATURE = "-----BEGIN PGP SIGNATURE-----"
SIGNATURE_END = "-----END PGP SIGNATURE-----"
_ARMOUR_HEADER = re.compile(r"^[A-Za-z][A-Za-z-]*: ")


def _line_at(lines: list[str], wanted: str, start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].rstrip() == wanted:
            return index
    return None


def _signed_text(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The signed text after the line at `start` (BEGIN PGP SIGNED MESSAGE), unescaped, and
    the index of the signature's END line; None if the armour does not close."""
    index = start + 1
    while index < len(lines) and _ARMOUR_HEADER.match(lines[index]):
        index += 1
    if index < len(lines) and not lines[index].strip():
        index += 1
    signature = _line_at(lines, SIGNATURE, index)
    end = _line_at(lines, SIGNATURE_END, signature + 1) if signature is not None else None
    if signature is None or end is None:
        return None
    text = [line[2:] if line.startswith("- ") else line for line in lines[index:signature]]
    return text, end


def strip_pgp_armour(text: str) -> str:
    """The text with inline PGP armour removed and the signed text kept."""
    if "-----BEGIN PGP " not in text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    # Once armour does not close, none after it can: stop looking (no quadratic scans).
    may_close = True
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        found: tuple[list[str], int] | None = None
        if may_close and line == SIGNED:
            found = _signed_text(lines, index)
        elif may_close and line == SIGNATURE:
            end = _line_at(lines, SIGNATURE_END, index + 1)
            found = ([], end) if end is not None else None
        if found is not None:
            kept.extend(found[0])
            index = found[1] + 1
            continue
        may_close = may_close and line not in (SIGNED, SIGNATURE)
        kept.append(lines[index])
        index += 1
    return "\n".join(kept)
