from django.tasks import task

from . import events, services
from .models import Event


@task()
def deliver_webhook(delivery_id: int) -> None:
    services.deliver(delivery_id)


@task()
def announce_ticket(event: str, ticket_id: int) -> None:
    data = events.ticket_event(ticket_id)
    if data is not None:
        services.record_event(event, data)


@task()
def announce_message(message_id: int) -> None:
    data = events.message_event(message_id)
    if data is not None:
        services.record_event(Event.MESSAGE_CREATED, data)


@task()
def announce_sla_alert(alert_id: int) -> None:
    found = events.sla_event(alert_id)
    if found is not None:
        services.record_event(*found)


@task()
def announce_quote_decision(quote_id: int) -> None:
    data = events.quote_event(quote_id)
    if data is not None:
        services.record_event(Event.QUOTE_DECIDED, data)
