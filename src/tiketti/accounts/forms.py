from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import Language, User
from .password_reset import request_password_reset


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class MailedPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through Tiketti's outbound queue, in the person's language,
    at most a few an hour per address (see `accounts.password_reset`)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        request_password_reset(email=self.cleaned_data["email"])


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["language", "uses_keyboard_shortcuts"]
        labels = {
            "language": _("Language of your e-mails and pages"),
            "uses_keyboard_shortcuts": _("Use single-key shortcuts in the desk"),
        }
        help_texts = {
            "language": _(
                "The language switch at the top of the page changes only the pages you are "
                "looking at; this setting also decides the language of the e-mails we send you."
            ),
            "uses_keyboard_shortcuts": _(
                "Keys such as j, k and r act without Ctrl or Alt. Turn them off if they get in "
                "the way of speech input or other assistive software."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_agent:  # customers' pages have no shortcuts
            del self.fields["uses_keyboard_shortcuts"]
        if self.instance.is_agent:
            # Staff choose how they hear of new tickets, assignments and customer replies.
            field = User._meta.get_field("notification_delivery").formfield()
            assert field is not None
            field.label = _("How you are told of new tickets, assignments and replies")
            field.help_text = _(
                "Either way each notice is listed in the desk. Acute incidents reach "
                "on-call staff by e-mail whatever this says."
            )
            field.required = False  # a form without it keeps the choice made before
            self.fields["notification_delivery"] = field
            self.initial["notification_delivery"] = self.instance.notification_delivery

    def save(self, commit: bool = True) -> User:
        if self.cleaned_data.get("notification_delivery"):
            self.instance.notification_delivery = self.cleaned_data["notification_delivery"]
        return super().save(commit)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False)


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
