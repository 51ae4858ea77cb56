"""Where the provider's endpoints are: its discovery document, or settings one by one."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or does not describe the issuer."""


@dataclass(frozen=True)
class ProviderEndpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str


def provider_endpoints() -> ProviderEndpoints:
    """The endpoints to use; endpoints set in settings win over the discovery document,
    which is fetched once an hour per process."""
    explicit = ProviderEndpoints(
        issuer=settings.TIKETTI_OIDC_ISSUER,
        authorization=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        token=settings.OIDC_OP_TOKEN_ENDPOINT,
        userinfo=settings.OIDC_OP_USER_ENDPOINT,
        jwks=settings.OIDC_OP_JWKS_ENDPOINT,
    )
    url = settings.TIKETTI_OIDC_DISCOVERY_URL
    if not url:
        return explicit
    document = _discovery_document(url)
    return ProviderEndpoints(
        issuer=explicit.issuer or document.get("issuer", ""),
        authorization=explicit.authorization or document.get("authorization_endpoint", ""),
        token=explicit.token or document.get("token_endpoint", ""),
        userinfo=explicit.userinfo or document.get("userinfo_endpoint", ""),
        jwks=explicit.jwks or document.get("jwks_uri", ""),
    )


def _discovery_document(url: str) -> dict[str, str]:
    key = f"tiketti.sso.discovery:{url}"
    document: dict[str, str] | None = cache.get(key)
    if document is not None:
        return document
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        raw = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(raw, dict):
        raise ProviderUnavailable(f"{url}: not a discovery document")
    document = {name: value for name, value in raw.items() if isinstance(value, str)}
    issuer = settings.TIKETTI_OIDC_ISSUER
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
    if issuer and document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} describes {document.get('issuer')!r}, not {issuer!r}")
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document
