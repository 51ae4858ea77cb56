from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from .models import Language, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class MailedPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through Tiketti's outbound queue, in the person's language."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        from tiketti.mail.notifications import mail_password_reset

        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            assert isinstance(user, User)
            path = reverse(
                "accounts:password-reset-confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            mail_password_reset(user, settings.TIKETTI_BASE_URL + path)


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["language"]
        labels = {"language": _("Language of your e-mails and pages")}
        help_texts = {
            "language": _(
                "The language switch at the top of the page changes only the pages you are "
                "looking at; this setting also decides the language of the e-mails we send you."
            )
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False)
