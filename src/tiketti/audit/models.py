"""The audit log: what staff and the system did beyond tickets, kept append-only.

An entry names its actor twice, by key and by e-mail address, so it still says who acted
after that person is deleted (the key is then set to NULL, the only change an entry may
ever see). Entries refuse to be saved again or deleted; on PostgreSQL a trigger refuses
UPDATE and DELETE in the database too (see the migration).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An audit entry was about to be changed or deleted."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        if kwargs == {"actor": None}:  # the actor was deleted: the e-mail label remains
            return super().update(**kwargs)
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("sign-in failed")
        LOCKED_OUT = "locked_out", _("locked out after failed sign-ins")
        ROLE_CHANGED = "role_changed", _("role changed")
        PERMISSIONS_CHANGED = "permissions_changed", _("permissions changed")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        HELD_ACCEPTED = "held_accepted", _("held request accepted")
        HELD_DECLINED = "held_declined", _("held request declined")
        HELD_MAIL_RETRIED = "held_mail_retried", _("held e-mail processed again")
        HELD_MAIL_DISCARDED = "held_mail_discarded", _("held e-mail discarded")
        SETTINGS_CHANGED = "settings_changed", _("settings changed in the admin")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("second factor set up")
        SECOND_FACTOR_RESET = "second_factor_reset", _("second factor removed")
        ADMIN_BULK_DELETED = "admin_bulk_deleted", _("deleted in bulk in the admin")
        SSO_LOGIN = "sso_login", _("signed in through single sign-on")
        SSO_LOGIN_FAILED = "sso_login_failed", _("single sign-on refused")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")
