"""Find (and mask) national personal identity codes in free text.

Customers paste their Finnish HETU (henkilötunnus) or Polish PESEL into support mail; the
helpdesk should warn the agent and be able to redact them. Pure code; candidates are found by
pattern and confirmed with python-stdnum's date and checksum validation, so an arbitrary
11-digit number is flagged only if it is a real-looking PESEL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum.fi import hetu
from stdnum.pl import pesel

__all__ = ["Finding", "find_personal_identity_codes", "redact"]

FindingKind = Literal["fi_hetu", "pl_pesel"]

# HETU: DDMMYY, century sign, 3-digit individual number, check character. Century signs:
# "+" 1800s; "-" and (since 2023) Y X W V U for the 1900s; A (and since 2023) B-F for 2000s.
# The look-arounds keep us out of longer tokens (order numbers, IBANs, URLs).
_HETU = re.compile(
    r"(?<![\w+\-/.])(\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y])(?![\w\-/]|[.,]\w)", re.IGNORECASE
)
# PESEL: exactly 11 digits, not glued to other digits, letters, "+" (phone numbers such as
# +48123456789), or decimal separators.
_PESEL = re.compile(r"(?<![\w+\-/.,])(\d{11})(?![\w\-/]|[.,]\d)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One identity code in a text: ``text[start:end]``, and how to show it masked."""

    kind: FindingKind
    start: int
    end: int
    masked: str


def _hetu_findings(text: str) -> list[Finding]:
    findings = []
    for match in _HETU.finditer(text):
        code = match.group(1)
        # Temporary identifiers (individual number 900-999) identify people just as well.
        if hetu.is_valid(code, allow_temporary=True):
            masked = code[:7].upper() + "****"  # keep date and century sign: "131052-****"
            findings.append(Finding("fi_hetu", match.start(1), match.end(1), masked))
    return findings


def _pesel_findings(text: str) -> list[Finding]:
    findings = []
    for match in _PESEL.finditer(text):
        code = match.group(1)
        if pesel.is_valid(code):
            findings.append(Finding("pl_pesel", match.start(1), match.end(1), code[:6] + "*****"))
    return findings


def find_personal_identity_codes(text: str) -> list[Finding]:
    """All checksum-valid Finnish HETUs and Polish PESELs in ``text``, in text order."""
    if not text:
        return []
    findings = _hetu_findings(text) + _pesel_findings(text)
    return sorted(findings, key=lambda finding: finding.start)


def redact(text: str, findings: list[Finding]) -> str:
    """Replace every finding's span in ``text`` with its masked form.

    Findings that do not fit the text or overlap an earlier one are ignored, so stale
    findings cannot corrupt the text.
    """
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < position or finding.end > len(text) or finding.start >= finding.end:
            continue
        parts.append(text[position : finding.start])
        parts.append(finding.masked)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def masked(text: str) -> str:
    """`text` with every identity code in it masked."""
    return redact(text, find_personal_identity_codes(text))
