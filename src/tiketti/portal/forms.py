from typing import Any

from django import forms
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tiketti.contracts.priority import PriorityOffer
from tiketti.knowledge.forms import ArticleIdsField
from tiketti.tickets.forms import QUESTION_PREFIX, MultipleFileField, question_fields
from tiketti.tickets.models import Category, Impact, Urgency


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


class RequestFieldsForm(forms.Form):
    """What every request form asks (the portal's, the public and the agency form): the
    subject, the category and its questions, the description, impact and urgency."""

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

    LEADING: tuple[str, ...] = ("subject", "category")
    NOT_SHOWN: tuple[str, ...] = ()  # visible fields the page places itself
    url_name = "portal:ticket-new"  # where the category's questions come from

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With JavaScript, choosing a category brings its questions (htmx); without, the
        # "Show the questions" button does.
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
            and field.name not in self.NOT_SHOWN
            and not field.name.startswith(QUESTION_PREFIX)
        ]


class RequestForm(RequestFieldsForm):
    """The signed-in customer's request form."""

    attachments = MultipleFileField(help_text=_("Screenshots or other files (optional)."))
    acute = forms.BooleanField(
        label=_("Acute: our site is down or under attack"),
        required=False,
        help_text=_("On-call staff are told at once, and you get the on-call phone number."),
    )
    # Help articles the assistant showed while this was typed (recorded with the ticket).
    shown_articles = ArticleIdsField()


def add_priority_choice(form: forms.Form, offer: PriorityOffer | None) -> None:
    """Main users may ask for a paid-priority ticket: free while credits last, else at the
    plan's price, shown before they confirm."""
    if offer is None:
        return
    if offer.is_free:
        label = _("Priority ticket (uses one of your %(count)d included priority tickets)") % {
            "count": offer.credits_left
        }
    else:
        label = _("Priority ticket: %(price)s € (answered first, also at weekends)") % {
            "price": number_format(offer.price, 2)
        }
    form.fields["priority_ticket"] = forms.BooleanField(label=label, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField()
