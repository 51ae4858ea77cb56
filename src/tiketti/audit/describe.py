"""Audit entries in words, in the reader's language."""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import model_ngettext
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
    Action.SSO_LOGIN: gettext_lazy("%(actor)s signed in through %(provider)s."),
}

# Why single sign-on refused someone (details["reason"] of an SSO_LOGIN_FAILED entry).
SSO_REFUSALS = {
    "no_staff_role": gettext_lazy("the provider gives no staff role"),
    "customer_account": gettext_lazy("the address belongs to a customer contact"),
    "inactive": gettext_lazy("the account is deactivated"),
    "no_email": gettext_lazy("the provider sent no e-mail address"),
    "email_unverified": gettext_lazy("the provider has not verified the e-mail address"),
    "state_mismatch": gettext_lazy("the answer did not belong to this browser's sign-in"),
    "token_invalid": gettext_lazy("the provider's token did not verify"),
    "provider_error": gettext_lazy("the provider refused or could not be reached"),
}

# Names in the log at most for one bulk deletion; the count is always exact.
NAMED_DELETIONS = 10


def describe(entry: AuditEntry) -> str:
    """One or two sentences saying what happened."""
    sentence = _sentence(entry)
    # "the system" may open the sentence; an e-mail address keeps its letters.
    return sentence if entry.actor_label else capfirst(sentence)


def _sentence(entry: AuditEntry) -> str:
    names = {
        "actor": entry.actor_label or _actor_without_account(entry),
        "target": entry.target_label or entry.target_id,
        "provider": str(entry.details.get("provider", "")),
    }
    if entry.action == Action.SSO_LOGIN_FAILED:
        reason = SSO_REFUSALS.get(str(entry.details.get("reason", "")))
        return _("Sign-in through %(provider)s refused for %(actor)s: %(reason)s.") % {
            **names,
            "actor": entry.actor_label or _("someone"),
            "reason": reason or entry.details.get("reason", ""),
        }
    if entry.action == Action.ADMIN_BULK_DELETED:
        return _describe_bulk_deletion(entry, names)
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


def _actor_without_account(entry: AuditEntry) -> str:
    if entry.details.get("via") == "sso":
        return _("single sign-on (%(provider)s)") % {"provider": entry.details.get("provider", "")}
    return _("the system")


def _describe_bulk_deletion(entry: AuditEntry, names: dict[str, str]) -> str:
    count = int(entry.details.get("count", 0))
    labels = [str(item.get("label", "")) for item in entry.details.get("objects", [])]
    shown = ", ".join(labels[:NAMED_DELETIONS])
    if count > NAMED_DELETIONS:
        shown += " " + _("and %(count)d more") % {"count": count - NAMED_DELETIONS}
    try:
        items = str(model_ngettext(apps.get_model(entry.target_type)._meta, count))
    except (LookupError, ValueError):  # a model removed since
        items = entry.target_label
    return _("%(actor)s deleted %(count)d %(items)s in the admin: %(names)s.") % {
        **names,
        "count": count,
        "items": items,
        "names": shown,
    }


def _field_name(field: str) -> str:
    return {
        "staff_role": _("staff role"),
        "is_superuser": _("superuser status"),
        "customer_role": _("role in organisation"),
        "is_active": _("active status"),
        "groups": _("groups"),
        "user_permissions": _("permissions"),
        "teams": _("teams"),
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
