"""Files uuencoded into the text of a message (Lotus Notes, old Unix mailers).

``begin 644 name`` … ``end``: thousands of lines nobody can read. They become attachments
and leave the text. A block is taken only if every line in it is valid uuencoding and it
ends with ``end``; anything else (prose that starts with "begin 644", a block cut short)
stays text as it was.
"""

from __future__ import annotations

import binascii
import re

_BEGIN = re.compile(r"^begin [0-7]{3,4} (\S.*?)\s*$")
_UU_LINE = re.compile(r"^[\x20-\x60]+$")
# A message is untrusted input: a body of "begin" lines must not make this quadratic.
MAX_BLOCKS = 100


def _uu_line(line: str) -> bytes | None:
    """One line of uuencoding decoded, or None if it is not one."""
    if not _UU_LINE.match(line):
        return None
    length = (ord(line[0]) - 32) & 63
    if len(line) - 1 < (length + 2) // 3 * 4 - 2:  # some encoders drop trailing padding
        return None
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:
        return None


def _block(lines: list[str], start: int) -> tuple[bytes, int] | None:
    """The decoded bytes of the block whose first data line is `start`, and the index of
    its ``end`` line; None if it is no block."""
    chunks: list[bytes] = []
    for index in range(start, len(lines)):
        line = lines[index].rstrip("\r")
        if line == "end":
            return b"".join(chunks), index
        decoded = _uu_line(line.rstrip() or " ")
        if decoded is None:
            return None
        chunks.append(decoded)
    return None


def extract_uuencoded(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The text without its uuencoded blocks, and the files they held (name, bytes)."""
    if "begin " not in text:
        return text, []
    lines = text.split("\n")
    kept: list[str] = []
    files: list[tuple[str, bytes]] = []
    index = 0
    while index < len(lines):
        match = _BEGIN.match(lines[index]) if len(files) < MAX_BLOCKS else None
        found = _block(lines, index + 1) if match else None
        if match is None or found is None:
            kept.append(lines[index])
            index += 1
            continue
        files.append((match.group(1), found[0]))
        index = found[1] + 1
        # The blank lines around the block become one.
        if kept and not kept[-1].strip() and index < len(lines) and not lines[index].strip():
            index += 1
    return "\n".join(kept), files
