"""Writing audit entries: one function, used by every app that does something worth keeping."""

from __future__ import annotations

from typing import Any

from django.db import models

from tiketti.accounts.models import User

from .context import current_actor
from .models import AuditEntry


def record_audit(
    action: AuditEntry.Action,
    *,
    actor: User | None = None,
    actor_label: str = "",
    target: models.Model | None = None,
    target_label: str = "",
    target_type: str = "",
    target_id: str = "",
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry. Who acted and from where default to the request being answered
    (nobody, "the system", in a command or the worker)."""
    context = current_actor()
    if target is not None and not target_label:
        target_label = target.name_and_email if isinstance(target, User) else str(target)
    person = actor if actor is not None else context.user
    return AuditEntry.objects.create(
        action=action,
        actor=person,
        actor_label=(actor_label or (person.email if person else ""))[:254],
        target_type=target._meta.label_lower if target is not None else target_type,
        target_id=str(target.pk) if target is not None else target_id,
        target_label=(target_label or (str(target) if target is not None else ""))[:254],
        ip_address=ip_address or context.ip_address,
        details=details or {},
    )
