from django import forms
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Language
from tiketti.tickets.models import Ticket

MAX_SHOWN = 50


def parse_article_ids(value: str) -> list[int]:
    """`"3,5,8"` → [3, 5, 8]; anything else in it is ignored."""
    ids: list[int] = []
    for part in (value or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) not in ids:
            ids.append(int(part))
    return ids[:MAX_SHOWN]


class ArticleIdsField(forms.CharField):
    """Ids of the articles the assistant has shown, carried in a hidden input."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: str) -> list[int]:
        return parse_article_ids(super().clean(value))


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the help center"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AssistantForm(forms.Form):
    subject = forms.CharField(max_length=250, required=False)
    description = forms.CharField(max_length=5000, required=False)
    shown_articles = ArticleIdsField()
    channel = forms.ChoiceField(choices=Ticket.Channel.choices, required=False)


class SolvedForm(forms.Form):
    article = forms.IntegerField(min_value=1)
    query = forms.CharField(max_length=250, required=False)
    channel = forms.ChoiceField(choices=Ticket.Channel.choices, required=False)


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    language = forms.ChoiceField(choices=Language.choices)
