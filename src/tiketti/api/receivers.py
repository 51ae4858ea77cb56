"""API tokens made and revoked (by the command, the admin or anything else) are audited."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from tiketti.accounts.models import User
from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit

from .models import ApiToken


def _owner(token: ApiToken) -> str:
    try:
        return token.user.email
    except User.DoesNotExist:  # the token goes with its deleted owner
        return ""


def _describe(token: ApiToken) -> dict[str, Any]:
    return {"hint": token.hint, "name": token.name, "owner": _owner(token)}


def remember_revocation(sender: type[ApiToken], instance: ApiToken, **kwargs: Any) -> None:
    if instance.pk is not None and instance.revoked_at is not None:
        before = ApiToken.objects.filter(pk=instance.pk).values_list("revoked_at", flat=True)
        instance._audit_newly_revoked = before.first() is None  # type: ignore[attr-defined]


def on_token_saved(
    sender: type[ApiToken], instance: ApiToken, created: bool, **kwargs: Any
) -> None:
    label = f"{instance.hint}… ({_owner(instance)})"
    if created:
        record_audit(
            AuditEntry.Action.API_TOKEN_CREATED,
            target=instance,
            target_label=label,
            details=_describe(instance),
        )
    elif getattr(instance, "_audit_newly_revoked", False):
        del instance._audit_newly_revoked  # type: ignore[attr-defined]
        record_audit(
            AuditEntry.Action.API_TOKEN_REVOKED,
            target=instance,
            target_label=label,
            details=_describe(instance),
        )


def on_token_deleted(sender: type[ApiToken], instance: ApiToken, **kwargs: Any) -> None:
    if instance.revoked_at is None:  # deleting a live token revokes it
        record_audit(
            AuditEntry.Action.API_TOKEN_REVOKED,
            target=instance,
            target_label=f"{instance.hint}… ({_owner(instance)})",
            details={**_describe(instance), "deleted": True},
        )


def connect() -> None:
    pre_save.connect(remember_revocation, sender=ApiToken, dispatch_uid="api.remember_revocation")
    post_save.connect(on_token_saved, sender=ApiToken, dispatch_uid="api.token_saved")
    post_delete.connect(on_token_deleted, sender=ApiToken, dispatch_uid="api.token_deleted")
