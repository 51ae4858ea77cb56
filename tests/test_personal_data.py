"""Finnish HETU and Polish PESEL detection and redaction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiketti.personal_data import Finding, find_personal_identity_codes, redact


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.kind, text[f.start : f.end], f.masked) for f in find_personal_identity_codes(text)]


@pytest.mark.parametrize(
    ("code", "masked"),
    [
        ("131052-308T", "131052-****"),  # the classic example
        ("010594Y9032", "010594Y****"),  # 2023 century sign for the 1900s
        ("020594X903P", "020594X****"),
        ("020502A902X", "020502A****"),  # 2000s, "A"
        ("010516B903X", "010516B****"),  # 2023 century sign for the 2000s
        ("131052-308t", "131052-****"),  # typed in lower case
        ("010101-987J", "010101-****"),  # temporary identifier (900-999) is personal data too
    ],
)
def test_valid_hetu_is_found(code, masked):
    assert found(f"Henkilötunnukseni on {code}, kiitos.") == [("fi_hetu", code, masked)]


@pytest.mark.parametrize(
    "text",
    [
        "131052-308U",  # wrong check character
        "310252-308Y",  # 31 February
        "131052-001T",  # individual numbers start at 002
        "x131052-308T",  # glued to a word
        "131052-308TX",
        "ORDER-131052-308T",
        "https://example.com/131052-308T/",
    ],
)
def test_hetu_lookalikes_are_not_found(text):
    assert found(text) == []


@pytest.mark.parametrize("code", ["44051401359", "02070803628"])
def test_valid_pesel_is_found(code):
    assert found(f"PESEL: {code}.") == [("pl_pesel", code, code[:6] + "*****")]


@pytest.mark.parametrize(
    "text",
    [
        "PESEL: 44051401358",  # wrong check digit
        "4405140135912",  # inside a 13-digit number
        "144051401359",  # inside a 12-digit number
        "Tel. +44051401359",  # a phone number
        "PL61 1090 1014 0000 0712 1981 2874",  # IBAN in groups
        "PL61109010140000071219812874",  # IBAN in one piece
        "Kwota 0.44051401359",  # decimal
        "nr 44051401359-1",
    ],
)
def test_pesel_lookalikes_are_not_found(text):
    assert found(text) == []


def test_findings_are_in_text_order_and_redacted():
    text = "PESEL 44051401359 and HETU 131052-308T; again 44051401359"
    findings = find_personal_identity_codes(text)
    assert [f.kind for f in findings] == ["pl_pesel", "fi_hetu", "pl_pesel"]
    assert redact(text, findings) == "PESEL 440514***** and HETU 131052-****; again 440514*****"


def test_redact_ignores_stale_or_overlapping_findings():
    text = "HETU 131052-308T"
    good = find_personal_identity_codes(text)
    stale = [Finding("fi_hetu", 5, 99, "x"), Finding("pl_pesel", 6, 8, "y")]
    assert redact(text, good + stale) == "HETU 131052-****"
    assert redact(text, []) == text


def test_empty_text():
    assert find_personal_identity_codes("") == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789-+ABCXYabc .,\n", max_size=80))
def test_redacted_text_holds_no_valid_codes(text):
    redacted = redact(text, find_personal_identity_codes(text))
    assert find_personal_identity_codes(redacted) == []
