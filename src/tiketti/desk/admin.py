"""Macros and shared views are set up in the admin, with a name per language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiketti.localized_names import TRANSLATION_FIELDS, LocalizedNameForm

from .macros import PLACEHOLDERS, unknown_placeholders
from .models import Macro, SavedView


class MacroForm(LocalizedNameForm):
    class Meta:
        model = Macro
        exclude = ["name_translations"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for code in ("en", "fi", "pl"):
            unknown = unknown_placeholders(cleaned.get(f"body_{code}") or "")
            if unknown:
                self.add_error(
                    f"body_{code}",
                    forms.ValidationError(
                        gettext("Unknown placeholder: %(names)s. Use: %(known)s.")
                        % {
                            "names": ", ".join(f"{{{name}}}" for name in unknown),
                            "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                        }
                    ),
                )
        return cleaned


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin[Macro]):
    form = MacroForm
    exclude = ["name_translations"]
    list_display = ["name", "status", "priority", "category", "is_active", "position"]
    list_editable = ["is_active", "position"]
    filter_horizontal = ["articles"]
    fieldsets = [
        (None, {"fields": ["name", *TRANSLATION_FIELDS, "is_active", "position"]}),
        (
            _("Text"),
            {
                "fields": ["body_en", "body_fi", "body_pl", "articles"],
                "description": _(
                    "Placeholders: {requester_name}, {ticket_number}, {agent_name}, {articles}."
                ),
            },
        ),
        (_("Then set"), {"fields": ["status", "priority", "category"]}),
    ]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin[SavedView]):
    form = LocalizedNameForm
    exclude = ["name_translations"]
    list_display = ["name", "owner", "position"]
    list_filter = [("owner", admin.EmptyFieldListFilter)]
