"""Webhooks: where events go, and the log of every delivery and attempt."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret


class Event(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("ticket created")
    TICKET_UPDATED = "ticket.updated", _("ticket updated")
    MESSAGE_CREATED = "message.created", _("message created")
    SLA_WARNING = "sla.warning", _("SLA deadline due soon")
    SLA_BREACHED = "sla.breached", _("SLA deadline passed")
    QUOTE_DECIDED = "quote.decided", _("quote decided")


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def listening_to(self, event: str) -> WebhookQuerySet:
        return self.filter(is_active=True, events__contains=event)


class Webhook(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Event names joined by spaces: a plain text column filters the same way on SQLite
    # and PostgreSQL, and no event name is a part of another.
    events = models.CharField(_("events"), max_length=500)
    # Kept as is (not hashed): every delivery is signed with it.
    secret = models.CharField(max_length=100, default=new_secret)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failure_count = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self) -> WebhookDeliveryQuerySet:
        return self.filter(
            status=WebhookDelivery.Status.QUEUED,
            next_attempt_at__lte=timezone.now(),
            webhook__is_active=True,
        )


class WebhookDelivery(models.Model):
    """One event for one webhook. The body is fixed when the event happens; every
    attempt sends the same bytes with a fresh signature."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    body = models.TextField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="redeliveries"
    )

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the receiver's status code, or why there was none."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.response_status or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
