"""Phone numbers in one form (E.164, "+358401234567"), so a caller's number finds the
contact whichever way either was typed: "040 123 4567", "+358 40 1234567", "0048 …"."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def normalise_phone(text: str, region: str = "") -> str | None:
    """The number in E.164, or None when `text` is not a possible phone number. Numbers
    without a country code are read as `region`'s (default `TIKETTI_PHONE_REGION`)."""
    if not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, region or settings.TIKETTI_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A stored number the way people read it ("+358 40 1234567")."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
