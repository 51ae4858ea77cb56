"""Audit entries in words, in the reader's language."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiketti.accounts.models import User

from .models import AuditEntry

Action = AuditEntry.Action

SENTENCES = {
    Action.LOGIN: gettext_lazy("%(actor)s signed in."),
    Action.LOGIN_FAILED: gettext_lazy("Failed sign-in as %(actor)s."),
    Action.LOCKED_OUT: gettext_lazy("Sign-in locked out for %(actor)s after repeated failures."),
    Action.API_TOKEN_CREATED: gettext_lazy("%(actor)s created API token %(target)s."),
    Action.API_TOKEN_REVOKED: gettext_lazy("%(actor)s revoked API token %(target)s."),
    Action.HELD_ACCEPTED: gettext_lazy("%(actor)s accepted held request %(target)s."),
    Action.HELD_DECLINED: gettext_lazy("%(actor)s declined held request %(target)s."),
    Action.HELD_MAIL_RETRIED: gettext_lazy("%(actor)s processed held e-mail %(target)s again."),
    Action.HELD_MAIL_DISCARDED: gettext_lazy("%(actor)s discarded held e-mail %(target)s."),
    Action.SECOND_FACTOR_ENROLLED: gettext_lazy("%(actor)s set up a second factor."),
    Action.SECOND_FACTOR_RESET: gettext_lazy("%(actor)s removed the second factor of %(target)s."),
}


def describe(entry: AuditEntry) -> str:
    """One or two sentences saying what happened."""
    sentence = _sentence(entry)
    # "the system" may open the sentence; an e-mail address keeps its letters.
    return sentence if entry.actor_label else capfirst(sentence)


def _sentence(entry: AuditEntry) -> str:
    names = {
        "actor": entry.actor_label or _("the system"),
        "target": entry.target_label or entry.target_id,
    }
    if entry.action == Action.ROLE_CHANGED:
        return _describe_changes(entry, names)
    if entry.action == Action.PERMISSIONS_CHANGED:
        return _(
            "%(actor)s changed the %(field)s of %(target)s: added %(added)s, removed %(removed)s."
        ) % {
            **names,
            "field": _field_name(str(entry.details.get("field", ""))),
            "added": ", ".join(entry.details.get("added", [])) or "–",
            "removed": ", ".join(entry.details.get("removed", [])) or "–",
        }
    if entry.action == Action.SETTINGS_CHANGED:
        change = LogEntry(
            change_message=entry.details.get("change_message", "")
        ).get_change_message()
        verb = {
            "added": _("%(actor)s added %(target)s in the admin."),
            "changed": _("%(actor)s changed %(target)s in the admin."),
            "deleted": _("%(actor)s deleted %(target)s in the admin."),
        }.get(str(entry.details.get("change", "")), _("%(actor)s changed %(target)s in the admin."))
        return (verb % names) + (f" {change}" if change else "")
    sentence = SENTENCES.get(entry.action)  # type: ignore[call-overload]
    return str(sentence) % names if sentence else entry.get_action_display()


def _field_name(field: str) -> str:
    return {
        "staff_role": _("staff role"),
        "is_superuser": _("superuser status"),
        "customer_role": _("role in organisation"),
        "is_active": _("active status"),
        "groups": _("groups"),
        "user_permissions": _("permissions"),
    }.get(field, field)


def _describe_changes(entry: AuditEntry, names: dict[str, str]) -> str:
    changes = entry.details.get("changes", {})
    parts = [
        _("%(field)s from “%(old)s” to “%(new)s”")
        % {"field": _field_name(field), "old": _value(field, old), "new": _value(field, new)}
        for field, (old, new) in sorted(changes.items())
    ]
    return _("%(actor)s changed %(target)s: %(changes)s.") % {**names, "changes": "; ".join(parts)}


def _value(field: str, value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = {"staff_role": User.StaffRole, "customer_role": User.CustomerRole}.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)
