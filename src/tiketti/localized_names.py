"""Names that admins give things (teams, SLA policies, plans, sessions), in every language.

A model keeps its `name`, the default that is shown when a language has no name of its
own and that scripts and matching rules may use as a key, and beside it a
`name_translations` JSON object such as `{"fi": "Tuki", "pl": "Wsparcie"}`.
`localized_name()` (and `str()`) gives the name in the active language. The admin edits
one plain text field per language (`LocalizedNameForm`), never the JSON.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The product's languages (settings.LANGUAGES): one admin field each.
CODES = ("en", "fi", "pl")


class LocalizedName(models.Model):
    name: Any  # each model declares its own `name` field (length, uniqueness)
    name_translations = models.JSONField(
        _("name in each language"),
        default=dict,
        blank=True,
        help_text=_("Shown instead of the name to people who use that language."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one), else the default name."""
        code = (language or translation.get_language() or "").split("-")[0]
        translations = self.name_translations if isinstance(self.name_translations, dict) else {}
        return str(translations.get(code) or self.name)


class LocalizedNameForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form with one optional text field per language for `name_translations`.

    Use it as a ModelAdmin's `form`, with `exclude = ["name_translations"]`; admins with
    fieldsets list `TRANSLATION_FIELDS` where the names belong."""

    name_en = forms.CharField(label=_("name (English)"), required=False, max_length=200)
    name_fi = forms.CharField(label=_("name (Finnish)"), required=False, max_length=200)
    name_pl = forms.CharField(label=_("name (Polish)"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.name_translations or {}
        for code in CODES:
            self.fields[f"name_{code}"].initial = stored.get(code, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.name_translations = {
            code: cleaned[f"name_{code}"].strip()
            for code in CODES
            if cleaned.get(f"name_{code}", "").strip()
        }
        return cleaned


TRANSLATION_FIELDS = [f"name_{code}" for code in CODES]
