"""mozilla-django-oidc's backend, configured on use and held to Tiketti's rules."""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..models import User
from ..signals import sso_refused
from . import is_enabled
from .discovery import ProviderUnavailable, provider_endpoints
from .services import SsoRefused, sign_in_from_claims


def refuse(request: HttpRequest, reason: str, *, email: str = "", user: User | None = None) -> None:
    """Record a refused single sign-on (once per request) and remember why, for the page."""
    if getattr(request, "tiketti_sso_refusal", None):
        return
    request.tiketti_sso_refusal = reason  # type: ignore[attr-defined]
    sso_refused.send(sender=User, request=request, email=email, user=user, reason=reason)


class SsoBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Answers only the provider's callback (the only caller that passes a nonce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every sign-in, password ones too, and single
        # sign-on may be off: the provider's settings are read in authenticate().
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not is_enabled():
            return None
        try:
            self._configure()
            user: User | None = super().authenticate(request, **kwargs)
        except SsoRefused as refusal:
            refuse(request, refusal.reason, email=refusal.email, user=refusal.user)
        except (SuspiciousOperation, jwt.PyJWTError):
            refuse(request, "token_invalid")
        except (requests.RequestException, ProviderUnavailable, ValueError, KeyError):
            refuse(request, "provider_error")
        else:
            if user is None:
                refuse(request, "provider_error")
            return user
        return None

    def get_user(self, user_id: int) -> User | None:
        # Django's rule, not the library's: a deactivated person's session ends at once.
        user: User | None = ModelBackend.get_user(self, user_id)
        return user

    def _configure(self) -> None:
        endpoints = provider_endpoints()
        self.issuer = endpoints.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks or None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry and nonce; the issuer and audience too
        (OpenID Connect Core 3.1.3.7), so a token made for another client is refused."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if self.issuer and str(payload.get("iss", "")).rstrip("/") != self.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # Core 5.3.2: userinfo must be about the subject of the ID token.
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SsoRefused("token_invalid")
        return sign_in_from_claims({**payload, **userinfo})
