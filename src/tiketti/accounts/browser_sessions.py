"""Where a person is signed in: a BrowserSession row per signed-in Django session.

A row is made at sign-in and removed at sign-out; ending one deletes its Django session, so
that browser is signed out at its next request. `last_active_at` is written at most every
TOUCH_INTERVAL (the time of the last write is kept in the session itself, so other requests
cost no query). A password change ends every other session of the person.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import BrowserSession, User
from .throttling import client_ip

TOUCH_INTERVAL = timedelta(minutes=5)
SEEN_SESSION_KEY = "tiketti_seen_at"


def session_store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key)
    return store


def network_of(address: str) -> str:
    """The client address cut to its network: 203.0.113.7 → 203.0.113.0/24."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def describe_user_agent(user_agent: str) -> dict[str, str]:
    """Browser, system and device of a User-Agent header ("" where it does not say)."""
    if not user_agent.strip():
        return {"browser": "", "operating_system": "", "device": ""}
    import ua_parser  # its rules load on first use

    parsed = ua_parser.parse(user_agent[:500])

    def named(part: Any, with_version: bool = True) -> str:
        if part is None or part.family == "Other":
            return ""
        version = getattr(part, "major", None) if with_version else None
        return f"{part.family} {version}" if version else str(part.family)

    return {
        "browser": named(parsed.user_agent)[:100],
        "operating_system": named(parsed.os)[:100],
        "device": named(parsed.device, with_version=False)[:100],
    }


def _expiry(request: HttpRequest) -> datetime:
    return request.session.get_expiry_date()


def remember_sign_in(
    sender: object, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """At sign-in (user_logged_in): a row for this browser; expired ones of the person go."""
    if request is None or not getattr(request, "session", None):
        return
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    now = timezone.now()
    BrowserSession.objects.filter(user=user, expires_at__lte=now).delete()
    BrowserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            **describe_user_agent(str(request.META.get("HTTP_USER_AGENT", ""))),
            "network": network_of(client_ip(request)),
            "signed_in_at": now,
            "last_active_at": now,
            "expires_at": _expiry(request),
        },
    )
    request.session[SEEN_SESSION_KEY] = int(now.timestamp())


def forget_sign_out(
    sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    """At sign-out (user_logged_out): this browser's row goes with its session."""
    if request is not None and getattr(request, "session", None) and request.session.session_key:
        BrowserSession.objects.filter(session_key=request.session.session_key).delete()


def touch(request: HttpRequest, user: User) -> None:
    """Note that this signed-in browser is active, at most every TOUCH_INTERVAL."""
    now = timezone.now()
    seen = request.session.get(SEEN_SESSION_KEY)
    if isinstance(seen, int) and now.timestamp() - seen < TOUCH_INTERVAL.total_seconds():
        return
    request.session[SEEN_SESSION_KEY] = int(now.timestamp())
    key = request.session.session_key
    if not key:
        return
    expires_at = _expiry(request)
    updated = BrowserSession.objects.filter(session_key=key, user=user).update(
        last_active_at=now, expires_at=expires_at
    )
    if not updated:  # a session from before these rows were kept
        BrowserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": user,
                **describe_user_agent(str(request.META.get("HTTP_USER_AGENT", ""))),
                "network": network_of(client_ip(request)),
                "last_active_at": now,
                "expires_at": expires_at,
            },
        )


def active_sessions(user: User) -> QuerySet[BrowserSession]:
    return BrowserSession.objects.filter(user=user, expires_at__gt=timezone.now())


def end_session(browser_session: BrowserSession) -> None:
    """Sign that browser out: its Django session is deleted, then the row."""
    session_store().delete(browser_session.session_key)
    browser_session.delete()


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of this person (but the one keyed `keep`); returns how many."""
    doomed = list(BrowserSession.objects.filter(user=user).exclude(session_key=keep or ""))
    store = session_store()
    for browser_session in doomed:
        store.delete(browser_session.session_key)
    BrowserSession.objects.filter(pk__in=[row.pk for row in doomed]).delete()
    return len(doomed)


def end_others_after_password_change(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    """post_save: a new password (set_password, then save) ends the person's other sessions;
    the view that changed it names the session to keep (`_keep_session_key`)."""
    if created or getattr(instance, "_password", None) is None:
        return
    end_sessions(instance, keep=getattr(instance, "_keep_session_key", None))
