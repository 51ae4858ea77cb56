"""Webhook endpoints of API v1, mounted under /api/v1/webhooks (staff tokens only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tiketti.accounts.models import User
from tiketti.api.pagination import paginate

from . import services
from .models import Event, Webhook, WebhookAttempt, WebhookDelivery

router = Router(tags=["webhooks"])


class ErrorOut(Schema):
    code: str
    message: str
    detail: list[dict[str, object]] | None = None


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="http:// or https:// URL of the receiver.")
    events: list[Event] = Field(min_length=1)
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Signs every delivery. Shown now only: keep it.")


class AttemptOut(Schema):
    attempted_at: datetime
    response_status: int | None
    error: str


class DeliveryOut(Schema):
    id: int
    delivery: str = Field(description="The X-Tiketti-Delivery header sent with it.")
    event: str
    status: str
    attempt_count: int
    response_status: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    redelivery_of: int | None
    attempts: list[AttemptOut]


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next: str | None = Field(description="URL of the next page, or null on the last.")


class WebhookPage(Schema):
    items: list[WebhookOut]
    next: str | None = Field(description="URL of the next page, or null on the last.")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = None


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut}


def _staff(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    services.check_may_manage(user)
    return user


def _webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    _staff(request)
    webhook = Webhook.objects.filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404
    return webhook


def _webhook_out(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.pk,
        "url": webhook.url,
        "description": webhook.description,
        "events": webhook.event_list,
        "active": webhook.is_active,
        "consecutive_failures": webhook.consecutive_failure_count,
        "disabled_at": webhook.disabled_at,
        "disabled_reason": webhook.disabled_reason,
        "created_at": webhook.created_at,
    }


def _attempt_out(attempt: WebhookAttempt) -> AttemptOut:
    return AttemptOut(
        attempted_at=attempt.attempted_at,
        response_status=attempt.response_status,
        error=attempt.error,
    )


def _delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    waiting = delivery.status == WebhookDelivery.Status.QUEUED
    return DeliveryOut(
        id=delivery.pk,
        delivery=str(delivery.uuid),
        event=delivery.event,
        status=delivery.status,
        attempt_count=delivery.attempt_count,
        response_status=delivery.response_status,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        next_attempt_at=delivery.next_attempt_at if waiting else None,
        delivered_at=delivery.delivered_at,
        redelivery_of=delivery.redelivery_of_id,
        attempts=[_attempt_out(a) for a in delivery.attempts.all()],
    )


@router.get("", response={200: WebhookPage, 400: ErrorOut, 422: ErrorOut, **ERRORS})
def list_webhooks(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Every webhook, with whether it is active and why it was disabled."""
    _staff(request)
    items, next_url = paginate(
        request, Webhook.objects.all(), ordering=("pk",), limit=page.limit, cursor=page.cursor
    )
    return {"items": [_webhook_out(webhook) for webhook in items], "next": next_url}


@router.post(
    "", response={201: WebhookCreatedOut, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut, **ERRORS}
)
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    """Subscribe a URL to events. The answer carries the signing secret, shown only now."""
    webhook = services.create_webhook(
        actor=_staff(request),
        url=payload.url,
        events=[event.value for event in payload.events],
        description=payload.description,
    )
    return Status(201, {**_webhook_out(webhook), "secret": webhook.secret})


@router.delete("/{webhook_id}", response={204: None, 404: ErrorOut, **ERRORS})
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    """Stop sending to this webhook and forget its deliveries."""
    _webhook(request, webhook_id).delete()
    return Status(204, None)


@router.post("/{webhook_id}/enable", response={200: WebhookOut, 404: ErrorOut, **ERRORS})
def enable_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    """Turn a disabled webhook back on; its waiting deliveries are sent."""
    webhook = services.enable_webhook(actor=_staff(request), webhook=_webhook(request, webhook_id))
    return _webhook_out(webhook)


@router.get(
    "/{webhook_id}/deliveries",
    response={200: DeliveryPage, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
)
def list_deliveries(
    request: HttpRequest, webhook_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    """The delivery log, newest first: each delivery with its attempts and their answers."""
    webhook = _webhook(request, webhook_id)
    items, next_url = paginate(
        request,
        webhook.deliveries.prefetch_related("attempts"),
        ordering=("-pk",),
        limit=page.limit,
        cursor=page.cursor,
    )
    return {"items": [_delivery_out(d) for d in items], "next": next_url}


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut, 404: ErrorOut, 409: ErrorOut, **ERRORS},
)
def redeliver(request: HttpRequest, webhook_id: int, delivery_id: int) -> Status[DeliveryOut]:
    """Send a finished delivery's body again, as a new delivery (with a new id)."""
    webhook = _webhook(request, webhook_id)
    delivery = webhook.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    again = services.redeliver(actor=_staff(request), delivery=delivery)
    return Status(202, _delivery_out(again))
