from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiketti.accounts.models import Organisation, Team
from tiketti.tickets.models import Category

from .figures import ReportFilter

DEFAULT_DAYS = 30
MAX_DAYS = 366


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("any")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("any"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("any")
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most a year."))
        data["start"], data["end"] = start, end
        return data

    def report_filter(self) -> ReportFilter:
        data = self.cleaned_data
        return ReportFilter(
            start=data["start"],
            end=data["end"],
            team=data.get("team"),
            organisation=data.get("organisation"),
            category=data.get("category"),
        )
