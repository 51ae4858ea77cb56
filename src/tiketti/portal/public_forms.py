"""Forms of the public and agency request pages (no account, no attachments)."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiketti.tickets.forms import QUESTION_PREFIX, question_fields
from tiketti.tickets.models import Category, Impact, Urgency

from .forms import CategoryChoiceField

# The honeypot: hidden from people (and from screen readers and the tab order); a bot
# filling every field fills it too, and its request is dropped without a word.
HONEYPOT = "website"


class PublicRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to this address: your request is sent when you open it."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=250)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose what this is about"),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What were you doing, what happened, what did you expect? Include the page "
            "address and the steps to repeat it."
        ),
    )
    impact = forms.ChoiceField(
        label=_("How much does this stop your work?"),
        choices=Impact.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("How soon do you need help?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    LEADING: tuple[str, ...] = ("name", "email", "organisation", "subject", "category")
    url_name = "public:request"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse(self.url_name),
                "hx-target": "#category-questions",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )

    def leading_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LEADING]

    def question_fields(self) -> list[forms.BoundField]:
        return question_fields(self)

    def trailing_fields(self) -> list[forms.BoundField]:
        return [
            field
            for field in self.visible_fields()
            if field.name not in self.LEADING
            and field.name != HONEYPOT
            and not field.name.startswith(QUESTION_PREFIX)
        ]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class AgencyRequestForm(PublicRequestForm):
    """An agency acting for a customer: the agency's own name and address, and the
    customer organisation by name."""

    organisation = forms.CharField(label=_("Your agency"), max_length=200)
    customer = forms.CharField(
        label=_("Customer organisation you act for"),
        max_length=200,
        help_text=_("Its name as in its support contract. A main user of it confirms you."),
    )

    LEADING = ("name", "email", "organisation", "customer", "subject", "category")
    url_name = "public:agency"
