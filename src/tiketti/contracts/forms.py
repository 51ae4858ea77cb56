from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .booking import Slot


def slot_value(slot: Slot) -> str:
    """How a slot travels in the form: its UTC start in ISO 8601."""
    return slot.starts_at.astimezone(datetime.UTC).isoformat()


class SlotForm(forms.Form):
    """Pick one of the offered slots. The template draws the radio buttons grouped by day."""

    starts_at = forms.ChoiceField(
        label=_("Time"), error_messages={"required": _("Please pick a time.")}
    )

    def __init__(self, *args: Any, slots: Sequence[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["starts_at"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(slot_value(slot), slot_value(slot)) for slot in slots]
        field.error_messages["invalid_choice"] = _(
            "That time is no longer free. Please pick another one."
        )

    def clean_starts_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.cleaned_data["starts_at"])
