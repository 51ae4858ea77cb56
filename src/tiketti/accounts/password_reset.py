"""Password-reset requests: limited per address, and alike whether the address is known.

The request itself never looks the address up: it records the request, checks the hourly
limit and announces it after commit; mail's task (in the worker) finds the account, if any,
and sends the link. So a stranger learns nothing from the answer, nor from how long it took,
and one address gets at most TIKETTI_PASSWORD_RESET_LIMIT mails an hour.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import PasswordResetRequest, User, normalize_email
from .signals import password_reset_requested

RESET_LIMIT_WINDOW = timedelta(hours=1)


def address_digest(address: str) -> str:
    return salted_hmac(
        "tiketti.password-reset", normalize_email(address), algorithm="sha256"
    ).hexdigest()


def request_password_reset(*, email: str) -> bool:
    """Record a request for a reset link to `email`; True when a mail may go out (under the
    hourly limit). The same queries run whether or not an account has the address."""
    address = normalize_email(email)
    digest = address_digest(address)
    now = timezone.now()
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_LIMIT_WINDOW).delete()
        recent_count = PasswordResetRequest.objects.filter(address_digest=digest).count()
        PasswordResetRequest.objects.create(address_digest=digest, requested_at=now)
        if recent_count >= settings.TIKETTI_PASSWORD_RESET_LIMIT:
            return False
        transaction.on_commit(
            lambda: password_reset_requested.send(sender=PasswordResetRequest, email=address)
        )
    return True


def reset_recipients(email: str) -> list[User]:
    """The accounts a reset link for `email` goes to: active, with that address and a
    usable password (Django's own rule)."""
    user = User.objects.get_by_email(email)
    if user is None or not user.is_active or not user.has_usable_password():
        return []
    return [user]


def reset_url(user: User) -> str:
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.TIKETTI_BASE_URL + path
