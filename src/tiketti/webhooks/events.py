"""What each event says: the payload is a snapshot taken when the event happened."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from tiketti.accounts.models import User
from tiketti.contracts.models import Quote
from tiketti.tickets.models import Message, SlaAlert, Ticket

from .models import Event

Data = dict[str, Any]


def _person(user: User | None) -> Data | None:
    if user is None:
        return None
    return {"email": user.email, "name": user.get_full_name()}


def _tickets() -> Any:
    return Ticket.objects.select_related(
        "requester", "organisation", "assignee", "team", "category"
    )


def ticket_data(ticket: Ticket) -> Data:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "category": ticket.category.slug if ticket.category else None,
        "requester": _person(ticket.requester),
        "organisation": ticket.organisation.name if ticket.organisation else None,
        "assignee": _person(ticket.assignee),
        "team": ticket.team.name if ticket.team else None,
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "url": settings.TIKETTI_BASE_URL + reverse("desk:ticket-detail", args=[ticket.number]),
    }


def ticket_event(ticket_id: int) -> Data | None:
    ticket = _tickets().filter(pk=ticket_id).first()
    return None if ticket is None else {"ticket": ticket_data(ticket)}


def message_event(message_id: int) -> Data | None:
    message = Message.objects.select_related("author").filter(pk=message_id).first()
    if message is None or message.is_internal:
        return None  # internal notes never leave Tiketti
    ticket = _tickets().get(pk=message.ticket_id)
    return {
        "ticket": ticket_data(ticket),
        "message": {
            "id": message.pk,
            "author": _person(message.author),
            "body": message.body_text,
            "channel": message.channel,
            "created_at": message.created_at.isoformat(),
        },
    }


def sla_event(alert_id: int) -> tuple[str, Data] | None:
    alert = SlaAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        return None
    event = Event.SLA_BREACHED if alert.kind == SlaAlert.Kind.BREACH else Event.SLA_WARNING
    ticket = _tickets().get(pk=alert.ticket_id)
    return event, {
        "ticket": ticket_data(ticket),
        "sla": {"clock": alert.clock, "kind": alert.kind, "due_at": alert.due_at.isoformat()},
    }


def quote_event(quote_id: int) -> Data | None:
    quote = Quote.objects.select_related("decided_by").filter(pk=quote_id).first()
    if quote is None:
        return None
    ticket = _tickets().get(pk=quote.ticket_id)
    return {
        "ticket": ticket_data(ticket),
        "quote": {
            "reference": quote.reference,
            "status": quote.status,
            "estimated_hours": str(quote.estimated_hours),
            "price": str(quote.price),
            "decided_by": _person(quote.decided_by),
            "decided_at": quote.decided_at.isoformat() if quote.decided_at else None,
        },
    }
