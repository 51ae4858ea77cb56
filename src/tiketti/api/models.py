"""API tokens: only a hash is stored; the token is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User

TOKEN_PREFIX = "tk_"  # noqa: S105 - a marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def find(self, token: str) -> ApiToken | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        return (
            self.select_related("user", "user__organisation")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.hint}…"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Make a token for `user`; returns the row and the token text (shown only now)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, key_hash=hash_token(token), hint=token[:8])
        return row, token


class TokenFailure(models.Model):
    """Bad bearer tokens one client address sent recently (see `api.throttling`)."""

    ip_address = models.GenericIPAddressField(unique=True)
    failure_count = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bad API token attempt")
        verbose_name_plural = _("bad API token attempts")

    def __str__(self) -> str:
        return f"{self.ip_address}: {self.failure_count}"
