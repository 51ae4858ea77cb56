"""Second factor at sign-in: an authenticator app (TOTP) with one-time backup codes.

Staff must use one (TIKETTI_STAFF_2FA_REQUIRED, on by default); customers may. Once a
person has a confirmed device, every sign-in asks for a code before anything else opens.
django-otp keeps the devices and marks a session verified; these functions are the rules.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .signals import second_factor_enrolled, second_factor_removed

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
BACKUP_DEVICE_NAME = "backup codes"


def is_verified(request: HttpRequest) -> bool:
    """Whether this session gave a second factor (django-otp's OTPMiddleware decides)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def is_second_factor_required(user: User) -> bool:
    """Whether this person's sessions must be verified by a second factor."""
    if user.is_agent and settings.TIKETTI_STAFF_2FA_REQUIRED:
        return True
    return has_second_factor(user)


# Whether a session must give a second factor, decided once at sign-in: pages then need
# no query to know.
SESSION_KEY = "tiketti_second_factor_required"


def remember_requirement(
    sender: object, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """At sign-in (user_logged_in): note in the session whether it needs a second factor.
    Only single sign-on, after this, may say its provider vouched for one."""
    from .sso import PROVIDER_MFA_SESSION_KEY

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = is_second_factor_required(user)
        request.session.pop(PROVIDER_MFA_SESSION_KEY, None)


def session_requires_second_factor(request: HttpRequest, user: User) -> bool:
    from .sso import PROVIDER_MFA_SESSION_KEY

    if request.session.get(PROVIDER_MFA_SESSION_KEY):  # TIKETTI_OIDC_TRUSTS_MFA
        return False
    if user.is_agent and settings.TIKETTI_STAFF_2FA_REQUIRED:
        return True
    required = request.session.get(SESSION_KEY)
    if required is None:  # a session from before this rule
        required = request.session[SESSION_KEY] = is_second_factor_required(user)
    return bool(required)


def start_enrolment(user: User) -> TOTPDevice:
    """The authenticator-app device being set up (a new secret unless one is pending)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a code it shows; returns fresh backup codes (shown once), or
    None when the code is wrong."""
    if device.user_id != user.pk or not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = replace_backup_codes(user)
        second_factor_enrolled.send(sender=User, user=user)
    return codes


def replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def verify_second_factor(user: User, token: str) -> Device | None:
    """The device that accepts this code (app code or unused backup code), or None. Wrong
    codes are throttled by django-otp: each makes the next try wait longer."""
    cleaned = "".join(token.split())
    return match_token(user, cleaned) if cleaned else None


def remaining_backup_codes(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def remove_second_factor(*, user: User, actor: User) -> int:
    """Delete a person's devices: they set up a new app at their next sign-in (staff) or
    sign in with the password alone (customers). Recorded in the audit log. Removed by
    someone else (an admin), it also ends the person's sessions: whoever holds them may be
    the one who took the lost phone."""
    from .browser_sessions import end_sessions

    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        second_factor_removed.send(sender=User, user=user, actor=actor, count=len(devices))
        if actor.pk != user.pk:
            end_sessions(user)
    return len(devices)


def readable_secret(device: TOTPDevice) -> str:
    """The app's secret for typing in by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code image (an SVG data URI: no inline markup)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))
