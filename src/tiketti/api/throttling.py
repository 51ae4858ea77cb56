"""Bad API tokens are throttled per client address.

An address that sent API_TOKEN_FAILURE_LIMIT unknown or revoked tokens, each within
API_TOKEN_COOLOFF_MINUTES of the one before, is refused (429) until that period has passed
since its last bad token. While refused, its tokens are not even looked up, so further
guesses neither count nor move the time it may try again.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import TokenFailure


class TooManyTokenAttempts(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many bad tokens; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


def _cool_off() -> timedelta:
    return timedelta(minutes=settings.API_TOKEN_COOLOFF_MINUTES)


def check_token_attempts(ip_address: str) -> None:
    """Raise TooManyTokenAttempts while `ip_address` is refused."""
    row = TokenFailure.objects.filter(ip_address=ip_address).first()
    if row is None or row.failure_count < settings.API_TOKEN_FAILURE_LIMIT:
        return
    remaining = row.last_failure_at + _cool_off() - timezone.now()
    if remaining.total_seconds() > 0:
        raise TooManyTokenAttempts(max(1, math.ceil(remaining.total_seconds())))


def record_token_failure(ip_address: str) -> None:
    """Count one bad token from `ip_address`; a count older than the cool-off starts over."""
    now = timezone.now()
    with transaction.atomic():
        row, created = TokenFailure.objects.select_for_update().get_or_create(
            ip_address=ip_address, defaults={"failure_count": 1, "last_failure_at": now}
        )
        if created:
            return
        fresh = row.last_failure_at >= now - _cool_off()
        row.failure_count = row.failure_count + 1 if fresh else 1
        row.last_failure_at = now
        row.save(update_fields=["failure_count", "last_failure_at"])
