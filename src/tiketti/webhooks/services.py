"""Webhook workflows: subscribe, fan an event out to its deliveries, deliver, redeliver.

A delivery is claimed with a conditional update before it is sent, so two workers never
send it together; a failed attempt is retried with exponential backoff, and a webhook
whose receiver fails `TIKETTI_WEBHOOK_FAILURE_LIMIT` attempts in a row is disabled (its
queued deliveries wait, and resume when it is enabled again).
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import User
from tiketti.reference_data import ReferenceData
from tiketti.tickets.errors import TicketError

from . import sending
from .errors import WebhookConflict, WebhookForbidden
from .events import Data
from .models import Event, Webhook, WebhookAttempt, WebhookDelivery
from .targets import TargetRefused, check_url, resolve

logger = logging.getLogger(__name__)

# A crashed worker's delivery stays 'sending'; after this long it is queued again.
STALE_SENDING = timedelta(minutes=15)


def _load_subscribed_events() -> frozenset[str]:
    names: set[str] = set()
    for events in Webhook.objects.filter(is_active=True).values_list("events", flat=True):
        names.update(events.split())
    return frozenset(names)


# Every ticket event asks whether anyone listens; with no webhooks that costs no query.
subscribed_events = ReferenceData(_load_subscribed_events, watch=["webhooks.Webhook"])


def check_may_manage(user: User) -> None:
    if not user.is_agent:
        raise WebhookForbidden(_("Only staff can manage webhooks."))


def create_webhook(
    *, actor: User, url: str, events: Iterable[str], description: str = ""
) -> Webhook:
    """Subscribe `url` to `events`. The returned webhook's secret is shown to the
    caller now and never again."""
    check_may_manage(actor)
    chosen = sorted(set(events))
    unknown = [name for name in chosen if name not in Event.values]
    if not chosen or unknown:
        raise TicketError(
            _("Choose events from: %(choices)s.") % {"choices": ", ".join(Event.values)},
            code="unknown_event",
        )
    try:
        check_url(url)
        if not settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE:
            resolve(url)
    except TargetRefused as refusal:
        raise TicketError(refusal.message, code=refusal.code) from None
    return Webhook.objects.create(
        url=url, events=" ".join(chosen), description=description.strip(), created_by=actor
    )


def enable_webhook(*, actor: User, webhook: Webhook) -> Webhook:
    """Turn a disabled webhook back on; the deliveries that waited are sent."""
    check_may_manage(actor)
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(
            is_active=True, consecutive_failure_count=0, disabled_at=None, disabled_reason=""
        )
        waiting = list(
            webhook.deliveries.filter(status=WebhookDelivery.Status.QUEUED).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(partial(_enqueue_all, waiting))
    webhook.refresh_from_db()
    subscribed_events.forget()
    return webhook


def record_event(event: str, data: Data) -> list[WebhookDelivery]:
    """Store one delivery of `event` per active webhook that listens to it, and queue
    them for the worker. The body is fixed now: later changes do not rewrite history."""
    if event not in subscribed_events.get():
        return []
    created_at = timezone.now()
    with transaction.atomic():
        deliveries = []
        for webhook in Webhook.objects.listening_to(event):
            delivery = WebhookDelivery(webhook=webhook, event=event, created_at=created_at)
            delivery.body = json.dumps(
                {
                    "id": str(delivery.uuid),
                    "event": event,
                    "created_at": created_at.isoformat(),
                    "data": data,
                },
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
            )
            deliveries.append(delivery)
        WebhookDelivery.objects.bulk_create(deliveries)
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(partial(_enqueue_all, ids))
    return deliveries


def enqueue_delivery(delivery_id: int, delay: timedelta | None = None) -> None:
    from .tasks import deliver_webhook

    task = deliver_webhook
    if delay is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic sweep sends it when it is due
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(delivery_id)


def _enqueue_all(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        enqueue_delivery(delivery_id)


def retry_delay(attempt_count: int) -> timedelta:
    """1, 2, 4, … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempt_count - 1, 0), 360))


def _claim(delivery_id: int) -> WebhookDelivery | None:
    claimed = (
        WebhookDelivery.objects.due()
        .filter(pk=delivery_id)
        .update(status=WebhookDelivery.Status.SENDING, next_attempt_at=timezone.now())
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def _attempt(delivery: WebhookDelivery) -> WebhookAttempt:
    webhook = delivery.webhook
    body = delivery.body.encode()
    attempt = WebhookAttempt(delivery=delivery)
    try:
        target = resolve(webhook.url)
        headers = {
            "X-Tiketti-Event": delivery.event,
            "X-Tiketti-Delivery": str(delivery.uuid),
            "X-Tiketti-Signature": sending.signature(webhook.secret, int(time.time()), body),
        }
        response = sending.post(target, body, headers, settings.TIKETTI_WEBHOOK_TIMEOUT)
    except TargetRefused as refusal:
        attempt.error = refusal.message[:500]
    except (OSError, http.client.HTTPException) as error:
        attempt.error = (
            f"{type(error).__name__}: {error}"[:500] if str(error) else type(error).__name__
        )
    else:
        attempt.response_status = response.status
        if not attempt.succeeded:
            attempt.error = _("The receiver answered HTTP %(status)s.") % {
                "status": response.status
            }
    attempt.save()
    return attempt


def deliver(delivery_id: int) -> WebhookDelivery | None:
    """Send one delivery once, if it is due and no one else is sending it. A failure is
    recorded, retried later, and counts towards disabling the webhook."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    attempt = _attempt(delivery)
    delivery.attempt_count += 1
    delivery.response_status = attempt.response_status
    delivery.last_error = attempt.error
    if attempt.succeeded:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        Webhook.objects.filter(pk=delivery.webhook_id).update(consecutive_failure_count=0)
    elif delivery.attempt_count >= settings.TIKETTI_WEBHOOK_RETRY_LIMIT:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.QUEUED
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempt_count)
    delivery.save(
        update_fields=[
            "attempt_count",
            "response_status",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if not attempt.succeeded:
        logger.warning(
            "Webhook %s delivery %s (%s) failed, attempt %d: %s",
            delivery.webhook_id,
            delivery.uuid,
            delivery.event,
            delivery.attempt_count,
            attempt.error,
        )
        _count_failure(delivery.webhook)
        if delivery.status == WebhookDelivery.Status.QUEUED:
            enqueue_delivery(delivery.pk, retry_delay(delivery.attempt_count))
    return delivery


def _count_failure(webhook: Webhook) -> None:
    Webhook.objects.filter(pk=webhook.pk).update(
        consecutive_failure_count=F("consecutive_failure_count") + 1
    )
    limit = settings.TIKETTI_WEBHOOK_FAILURE_LIMIT
    reason = _("Disabled after %(count)d failed attempts in a row.") % {"count": limit}
    disabled = Webhook.objects.filter(
        pk=webhook.pk, is_active=True, consecutive_failure_count__gte=limit
    ).update(is_active=False, disabled_at=timezone.now(), disabled_reason=reason)
    if disabled:
        subscribed_events.forget()
        logger.error(
            "Webhook %s (%s) disabled after %d failed attempts in a row; its queued "
            "deliveries wait. Fix the receiver, then enable it: "
            "POST /api/v1/webhooks/%s/enable",
            webhook.pk,
            webhook.url,
            limit,
            webhook.pk,
        )


def redeliver(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a finished delivery's body again, as a new delivery of its own."""
    check_may_manage(actor)
    if delivery.status in (WebhookDelivery.Status.QUEUED, WebhookDelivery.Status.SENDING):
        raise WebhookConflict(
            _("This delivery is still being attempted; wait for it to finish."),
            code="delivery_pending",
        )
    if not delivery.webhook.is_active:
        raise WebhookConflict(
            _("This webhook is disabled. Enable it first."), code="webhook_disabled"
        )
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            webhook=delivery.webhook,
            event=delivery.event,
            body=delivery.body,
            redelivery_of=delivery,
        )
        transaction.on_commit(lambda: enqueue_delivery(again.pk))
    return again


def retry_due_deliveries() -> int:
    """Send queued deliveries whose time has come (after a crash, or on a backend that
    cannot defer); requeue deliveries a crashed worker left 'sending'."""
    stale = timezone.now() - STALE_SENDING
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, next_attempt_at__lt=stale
    ).update(status=WebhookDelivery.Status.QUEUED)
    count = 0
    for delivery_id in WebhookDelivery.objects.due().values_list("pk", flat=True)[:500]:
        if deliver(delivery_id) is not None:
            count += 1
    return count
