"""OAuth 2.0 access tokens for IMAP (XOAUTH2): Microsoft 365 and Google Workspace refuse
password logins.

An administrator consents once and pastes the refresh token into the mailbox; from then on
Tiketti trades it for short-lived access tokens at the provider's token endpoint (a plain
`grant_type=refresh_token` POST, RFC 6749 §6) and keeps the newest one on the mailbox.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.utils import timezone

from .models import Mailbox

# Refresh a little before expiry: the token must survive the login round trip.
REFRESH_MARGIN = timedelta(minutes=2)
TOKEN_TIMEOUT_SECONDS = 30.0
MAX_RESPONSE_BYTES = 1024 * 1024
# Microsoft's v2.0 endpoint wants the scopes again on refresh; Google ignores the field.
MICROSOFT_IMAP_SCOPE = "https://outlook.office365.com/IMAP.AccessAsUser.All offline_access"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class OAuthError(Exception):
    """The provider would not give an access token; the message says what to do."""


def access_token(mailbox: Mailbox) -> tuple[str, bool]:
    """A usable access token for the mailbox, and whether it was just refreshed."""
    expires_at = mailbox.oauth_expires_at
    if (
        mailbox.oauth_access_token
        and expires_at is not None
        and expires_at > timezone.now() + REFRESH_MARGIN
    ):
        return mailbox.oauth_access_token, False
    return refresh_access_token(mailbox), True


def refresh_access_token(mailbox: Mailbox) -> str:
    """Trade the refresh token for a new access token and store it (and the new refresh
    token, when the provider rotates it, as Microsoft does) on the mailbox."""
    if not (mailbox.oauth_token_url and mailbox.oauth_refresh_token):
        raise OAuthError("OAuth 2.0 needs a token URL and a refresh token on the mailbox")
    answer = post_form(mailbox.oauth_token_url, _refresh_grant(mailbox))
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthError("the token endpoint answered without an access_token")
    mailbox.oauth_access_token = token
    mailbox.oauth_expires_at = timezone.now() + _lifetime(answer.get("expires_in"))
    changed = {"oauth_access_token": token, "oauth_expires_at": mailbox.oauth_expires_at}
    rotated = answer.get("refresh_token")
    if isinstance(rotated, str) and rotated:
        mailbox.oauth_refresh_token = changed["oauth_refresh_token"] = rotated
    Mailbox.objects.filter(pk=mailbox.pk).update(**changed)
    return token


def _lifetime(expires_in: object) -> timedelta:
    try:
        return timedelta(seconds=int(str(expires_in)))
    except ValueError:  # absent or odd: RFC 6749 lets the provider omit it; assume an hour
        return timedelta(hours=1)


def _refresh_grant(mailbox: Mailbox) -> dict[str, str]:
    grant = {
        "grant_type": "refresh_token",
        "refresh_token": mailbox.oauth_refresh_token,
        "client_id": mailbox.oauth_client_id,
    }
    if mailbox.oauth_client_secret:  # public clients have none
        grant["client_secret"] = mailbox.oauth_client_secret
    if urlsplit(mailbox.oauth_token_url).hostname == "login.microsoftonline.com":
        grant["scope"] = MICROSOFT_IMAP_SCOPE
    return grant


def post_form(url: str, fields: dict[str, str]) -> dict[str, object]:
    """POST a form to a token endpoint; its JSON answer. Raises OAuthError."""
    check_token_url(url)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TOKEN_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as error:
        raise OAuthError(_refusal(error)) from None
    except OSError as error:  # URLError, timeouts, refused connections
        raise OAuthError(f"token endpoint unreachable: {error}") from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise OAuthError("the token endpoint did not answer with JSON") from None
    if not isinstance(answer, dict):
        raise OAuthError("the token endpoint did not answer with a JSON object")
    return answer


def check_token_url(url: str) -> None:
    """The client secret and refresh token travel in the request: HTTPS only, except to
    this machine (a local proxy, tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise OAuthError(f"the OAuth token URL must use https: {url}")


def _refusal(error: urllib.error.HTTPError) -> str:
    try:
        details = json.loads(error.read(MAX_RESPONSE_BYTES))
    except ValueError:
        details = {}
    if not isinstance(details, dict):
        details = {}
    code = str(details.get("error", ""))
    description = str(details.get("error_description", ""))
    text = f"token refresh refused (HTTP {error.code} {code}): {description}"
    if code == "invalid_grant":
        text += " The refresh token expired or was revoked: sign in again and store a new one."
    return text.strip()
