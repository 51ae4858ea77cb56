from django import forms
from django.utils.translation import gettext_lazy as _

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


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField()
