"""Webhooks subscribe to ticket and contract events; neither knows webhooks exist.

A receiver queues a task only when some active webhook listens to the event (known
without a query, see `services.subscribed_events`), so mail intake pays nothing when
there are no webhooks.
"""

from typing import Any

from tiketti.contracts.signals import quote_decided
from tiketti.tickets.signals import message_posted, sla_alert_raised, ticket_created, ticket_updated

from .models import Event
from .services import subscribed_events
from .tasks import announce_message, announce_quote_decision, announce_sla_alert, announce_ticket


def _listened(*names: str) -> bool:
    wanted = subscribed_events.get()
    return any(name in wanted for name in names)


def on_ticket_created(sender: object, *, ticket_id: int, **kwargs: Any) -> None:
    if _listened(Event.TICKET_CREATED):
        announce_ticket.enqueue(Event.TICKET_CREATED, ticket_id)


def on_ticket_updated(sender: object, *, ticket_id: int, **kwargs: Any) -> None:
    if _listened(Event.TICKET_UPDATED):
        announce_ticket.enqueue(Event.TICKET_UPDATED, ticket_id)


def on_message_posted(sender: object, *, message_id: int, **kwargs: Any) -> None:
    if _listened(Event.MESSAGE_CREATED):
        announce_message.enqueue(message_id)


def on_sla_alert(sender: object, *, alert_id: int, **kwargs: Any) -> None:
    if _listened(Event.SLA_WARNING, Event.SLA_BREACHED):
        announce_sla_alert.enqueue(alert_id)


def on_quote_decided(sender: object, *, quote_id: int, **kwargs: Any) -> None:
    if _listened(Event.QUOTE_DECIDED):
        announce_quote_decision.enqueue(quote_id)


CONNECTIONS = (
    (ticket_created, on_ticket_created),
    (ticket_updated, on_ticket_updated),
    (message_posted, on_message_posted),
    (sla_alert_raised, on_sla_alert),
    (quote_decided, on_quote_decided),
)


def connect() -> None:
    for signal, receiver in CONNECTIONS:
        signal.connect(receiver, dispatch_uid=f"webhooks.{receiver.__name__}")


def disconnect() -> None:
    for signal, receiver in CONNECTIONS:
        signal.disconnect(dispatch_uid=f"webhooks.{receiver.__name__}")
