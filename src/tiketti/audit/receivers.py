"""Audit entries for what happens outside tickets: sign-ins, lock-outs, roles and
permissions, and every change made through the admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest
from django.utils import timezone

from tiketti.accounts import sso
from tiketti.accounts.models import User
from tiketti.accounts.signals import (
    second_factor_enrolled,
    second_factor_removed,
    sso_refused,
    sso_teams_changed,
)
from tiketti.accounts.throttling import attempted_email, client_ip

from .models import AuditEntry
from .services import record_audit

Action = AuditEntry.Action
ROLE_FIELDS = ("staff_role", "is_superuser", "customer_role", "is_active")


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


def on_logged_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if sso.is_sso_login(user):
        record_audit(
            Action.SSO_LOGIN,
            actor=user,
            target=user,
            ip_address=_ip(request),
            details={
                **_sso_details(),
                "staff_role": user.staff_role,
                "second_factor_by_provider": settings.TIKETTI_OIDC_TRUSTS_MFA,
            },
        )
        return
    record_audit(Action.LOGIN, actor=user, target=user, ip_address=_ip(request))


def _sso_details() -> dict[str, str]:
    return {"via": "sso", "provider": sso.provider_name()}


def on_sso_refused(
    sender: object,
    request: HttpRequest,
    email: str,
    user: User | None,
    reason: str,
    **kwargs: Any,
) -> None:
    record_audit(
        Action.SSO_LOGIN_FAILED,
        actor_label=email,
        target=user,
        ip_address=_ip(request),
        details={**_sso_details(), "reason": reason},
    )


def on_sso_teams_changed(
    sender: object, user: User, added: list[str], removed: list[str], **kwargs: Any
) -> None:
    record_audit(
        Action.PERMISSIONS_CHANGED,
        target=user,
        details={"field": "teams", "added": added, "removed": removed, **_sso_details()},
    )


def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if sso.is_sso_attempt(request):  # recorded with its reason by on_sso_refused
        return
    email = attempted_email(request, credentials) if request is not None else None
    record_audit(
        Action.LOGIN_FAILED,
        actor_label=email or str(credentials.get("username", "")),
        ip_address=_ip(request),
    )


def on_locked_out(
    sender: object, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    """Once per lock-out: axes signals every refused attempt while it lasts."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    recent = AuditEntry.objects.filter(action=Action.LOCKED_OUT, created_at__gte=since)
    if recent.filter(actor_label=username or "", ip_address=ip_address).exists():
        return
    record_audit(
        Action.LOCKED_OUT,
        actor_label=username or "",
        ip_address=ip_address,
        details={"failure_limit": settings.LOGIN_FAILURE_LIMIT},
    )


def remember_roles(sender: type[User], instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not set(update_fields) & set(ROLE_FIELDS):
        return
    if instance.pk is None or instance._state.adding:
        instance._audit_roles_before = dict.fromkeys(ROLE_FIELDS)  # type: ignore[attr-defined]
        return
    before = User.objects.filter(pk=instance.pk).values(*ROLE_FIELDS).first()
    instance._audit_roles_before = before  # type: ignore[attr-defined]


def on_user_saved(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_roles_before", None)
    if before is None:
        return
    del instance._audit_roles_before  # type: ignore[attr-defined]
    changes = {
        field: [before[field], getattr(instance, field)]
        for field in ROLE_FIELDS
        if before[field] != getattr(instance, field)
    }
    if created:  # a new customer or a plain active account is not a role change
        changes = {
            field: change
            for field, change in changes.items()
            if field in ("staff_role", "is_superuser") and change[1]
        }
        for change in changes.values():
            change[0] = "" if isinstance(change[1], str) else False
    if changes:
        via = _sso_details() if getattr(instance, "_audit_via", None) == "sso" else {}
        record_audit(Action.ROLE_CHANGED, target=instance, details={"changes": changes, **via})


def on_memberships_changed(
    sender: type,
    instance: Any,
    action: str,
    model: type[models.Model],
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear") or not isinstance(instance, User):
        return
    field = "groups" if sender is User.groups.through else "user_permissions"
    if action == "pre_clear":
        names = [str(item) for item in getattr(instance, field).all()]
        added: list[str] = []
        removed = names
    else:
        names = [str(item) for item in model._default_manager.filter(pk__in=pk_set or ())]
        added, removed = (names, []) if action == "post_add" else ([], names)
    if added or removed:
        record_audit(
            Action.PERMISSIONS_CHANGED,
            target=instance,
            details={"field": field, "added": sorted(added), "removed": sorted(removed)},
        )


def on_admin_log(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    change = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}.get(instance.action_flag)
    content_type = instance.content_type if instance.content_type_id else None
    model = content_type.model_class() if content_type is not None else None
    record_audit(
        Action.SETTINGS_CHANGED,
        actor=instance.user,
        target_type=model._meta.label_lower if model is not None else "",
        target_id=instance.object_id or "",
        target_label=instance.object_repr,
        details={"change": change, "change_message": instance.change_message},
    )


def on_second_factor_enrolled(sender: object, user: User, **kwargs: Any) -> None:
    record_audit(Action.SECOND_FACTOR_ENROLLED, actor=user, target=user)


def on_second_factor_removed(
    sender: object, user: User, actor: User, count: int, **kwargs: Any
) -> None:
    record_audit(Action.SECOND_FACTOR_RESET, actor=actor, target=user, details={"devices": count})


def connect() -> None:
    second_factor_enrolled.connect(on_second_factor_enrolled, dispatch_uid="audit.2fa_enrolled")
    second_factor_removed.connect(on_second_factor_removed, dispatch_uid="audit.2fa_removed")
    user_logged_in.connect(on_logged_in, dispatch_uid="audit.logged_in")
    sso_refused.connect(on_sso_refused, dispatch_uid="audit.sso_refused")
    sso_teams_changed.connect(on_sso_teams_changed, dispatch_uid="audit.sso_teams")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.locked_out")
    pre_save.connect(remember_roles, sender=User, dispatch_uid="audit.remember_roles")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="audit.user_saved")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            on_memberships_changed, sender=through, dispatch_uid=f"audit.m2m.{through.__name__}"
        )
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid="audit.admin_log")
