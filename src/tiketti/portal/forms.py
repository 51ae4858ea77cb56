from django import forms
from django.utils.translation import gettext_lazy as _

from tiketti.contracts.priority import PriorityOffer
from tiketti.knowledge.forms import ArticleIdsField
from tiketti.tickets.forms import MultipleFileField
from tiketti.tickets.models import Category


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


class RequestForm(forms.Form):
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
            "price": offer.price
        }
    form.fields["priority_ticket"] = forms.BooleanField(label=label, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField()
