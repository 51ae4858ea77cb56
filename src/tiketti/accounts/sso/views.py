"""The two pages of single sign-on: off to the provider, and back from it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import PROVIDER_MFA_SESSION_KEY, is_enabled, provider_name
from .backend import refuse
from .discovery import ProviderUnavailable, provider_endpoints


def refusal_message(reason: str) -> str:
    names = {"provider": provider_name()}
    if reason in ("no_staff_role", "customer_account"):
        return (
            _(
                "Single sign-on is for staff, and your %(provider)s account does not make you "
                "staff here. Customers sign in with their e-mail address and password."
            )
            % names
        )
    if reason == "inactive":
        return _("This account is deactivated. Ask an administrator.")
    if reason in ("no_email", "email_unverified"):
        return (
            _(
                "%(provider)s did not give a verified e-mail address, so we cannot tell which "
                "account is yours."
            )
            % names
        )
    if reason in ("state_mismatch", "token_invalid"):
        return _("The sign-in could not be checked. Start again from this page.")
    return _("%(provider)s did not complete the sign-in. Try again, or use your password.") % (
        names
    )


class SsoStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints().authorization
        except ProviderUnavailable:
            messages.error(
                request,
                _("%(provider)s cannot be reached just now. Try again in a moment.")
                % {"provider": provider_name()},
            )
            return redirect("accounts:login")
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer. Every refusal is recorded and explained on the sign-in page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_enabled():
            raise Http404
        request.tiketti_sso_attempt = True  # type: ignore[attr-defined]
        state = request.GET.get("state")
        if request.GET.get("error"):
            refuse(request, "provider_error")
        elif not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            # Not an answer to a sign-in this browser started: a forged or replayed one.
            refuse(request, "state_mismatch")
            return self.login_failure()
        response: HttpResponse = super().get(request)
        return response

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        if settings.TIKETTI_OIDC_TRUSTS_MFA:
            self.request.session[PROVIDER_MFA_SESSION_KEY] = True
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "tiketti_sso_refusal", None) or "provider_error"
        if not getattr(self.request, "tiketti_sso_refusal", None):
            refuse(self.request, reason)
        messages.error(self.request, refusal_message(reason))
        return redirect("accounts:login")
