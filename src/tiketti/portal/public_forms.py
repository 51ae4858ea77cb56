"""Forms of the public and agency request pages (no account, no attachments)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import RequestFieldsForm

# The honeypot: hidden from people (and from screen readers and the tab order); a bot
# filling every field fills it too, and its request is dropped without a word.
HONEYPOT = "website"


class PublicRequestForm(RequestFieldsForm):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to this address: your request is sent when you open it."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    LEADING: tuple[str, ...] = ("name", "email", "organisation", "subject", "category")
    NOT_SHOWN = (HONEYPOT,)
    url_name = "public:request"

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
