"""Sign-in throttling: who is counted, and what a locked-out person is told.

django-axes counts failed sign-ins (settings "Trust" block); these are its hooks. The
address attempted is normalised as the login backend does, so changing letter case does not
start a fresh count; the client address is the proxy's last hop when Tiketti runs behind a
TLS proxy, so one attacker cannot hide behind a forged X-Forwarded-For.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import ngettext

from .models import normalize_email


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in attempt is counted against."""
    raw = (credentials or {}).get("username") or request.POST.get("username")
    return normalize_email(raw) if isinstance(raw, str) and raw.strip() else None


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: behind our own TLS proxy, the hop it appended."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops and _is_address(hops[-1]):
            return hops[-1]
    remote = str(request.META.get("REMOTE_ADDR", ""))
    return remote if _is_address(remote) else "0.0.0.0"  # noqa: S104 - a value, not a bind


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def cool_off() -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def locked_until(*, email: str | None, ip_address: str) -> datetime | None:
    """When the lock-out that holds this account or address ends (None: not locked)."""
    from axes.models import AccessAttempt

    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off())
    ends: list[datetime] = []
    for condition in (Q(username=email) if email else None, Q(ip_address=ip_address)):
        if condition is None:
            continue
        figures = recent.filter(condition).aggregate(
            failures=Sum("failures_since_start"), latest=Max("attempt_time")
        )
        if (figures["failures"] or 0) >= settings.LOGIN_FAILURE_LIMIT and figures["latest"]:
            ends.append(figures["latest"] + cool_off())
    return max(ends) if ends else None


def lockout_message(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in is paused: try "
        "again at %(time)s, in %(minutes)d minute.",
        "Too many failed sign-in attempts. For your security, signing in is paused: try "
        "again at %(time)s, in %(minutes)d minutes.",
        minutes,
    ) % {"time": formats.time_format(timezone.localtime(until), "TIME_FORMAT"), "minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, status 429, saying when to try again (and Retry-After)."""
    from . import sso
    from .forms import EmailAuthenticationForm

    now = timezone.now()
    until = locked_until(
        email=attempted_email(request, credentials), ip_address=client_ip(request)
    ) or (now + cool_off())
    response = render(
        request,
        "accounts/login.html",
        {
            "form": EmailAuthenticationForm(request),
            "locked_out": lockout_message(until, now),
            "next": request.POST.get("next", ""),
            "sso_provider": sso.provider_name() if sso.is_enabled() else None,
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response
