"""Single sign-on for staff through OpenID Connect (mozilla-django-oidc does the protocol).

Off unless TIKETTI_OIDC_CLIENT_ID is set. The provider's answer is checked in this order:
state (this browser started this sign-in), then the ID token (signature, nonce, issuer,
audience), then the claims: a verified e-mail address picks the account, and the role claim
mapped through TIKETTI_OIDC_ROLE_MAP decides whether it is staff. Customers never sign in
this way. `services` holds those rules; `backend` and `views` adapt the library to them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

BACKEND_PATH = "tiketti.accounts.sso.backend.SsoBackend"
# In the session of a sign-in whose second factor the provider vouches for.
PROVIDER_MFA_SESSION_KEY = "tiketti_sso_second_factor"


def is_enabled() -> bool:
    return bool(settings.TIKETTI_OIDC_CLIENT_ID)


def provider_name() -> str:
    return str(settings.TIKETTI_OIDC_PROVIDER_NAME)


def is_sso_login(user: object) -> bool:
    """Whether this user was just authenticated by single sign-on (Django sets `backend`)."""
    return getattr(user, "backend", None) == BACKEND_PATH


def is_sso_attempt(request: HttpRequest | None) -> bool:
    """Whether this request is the provider's callback: it records its own refusals."""
    return bool(getattr(request, "tiketti_sso_attempt", False))
