"""Mail subscribes to ticket events; tickets never call mail code directly."""

from typing import Any

from tiketti.accounts.signals import password_reset_requested
from tiketti.contracts.signals import quota_threshold_reached, quote_created
from tiketti.tickets.signals import (
    idea_status_changed,
    message_posted,
    sla_alert_raised,
    ticket_assigned,
    ticket_created,
    ticket_merged,
    ticket_out_of_scope,
)

from . import incident_notices, satisfaction_notices
from .tasks import (
    notify_assignment,
    notify_idea_status,
    notify_message_posted,
    notify_out_of_scope,
    notify_quota,
    notify_quote,
    notify_sla_alert,
    notify_staff_of_ticket,
    notify_ticket_created,
    notify_ticket_merged,
    send_password_reset,
)


def on_ticket_created(
    sender: object, *, ticket_id: int, message_id: int, acknowledge: bool = True, **kwargs: Any
) -> None:
    if acknowledge:
        notify_ticket_created.enqueue(ticket_id, message_id)
    notify_staff_of_ticket.enqueue(ticket_id)


def on_ticket_assigned(sender: object, *, ticket_id: int, assignee_id: int, **kwargs: Any) -> None:
    notify_assignment.enqueue(ticket_id, assignee_id)


def on_idea_status_changed(sender: object, *, idea_id: int, **kwargs: Any) -> None:
    notify_idea_status.enqueue(idea_id)


def on_message_posted(sender: object, *, ticket_id: int, message_id: int, **kwargs: Any) -> None:
    notify_message_posted.enqueue(ticket_id, message_id)


def on_out_of_scope(sender: object, *, ticket_id: int, **kwargs: Any) -> None:
    notify_out_of_scope.enqueue(ticket_id)


def on_ticket_merged(sender: object, *, ticket_id: int, survivor_id: int, **kwargs: Any) -> None:
    notify_ticket_merged.enqueue(ticket_id, survivor_id)


def on_sla_alert(sender: object, *, alert_id: int, **kwargs: Any) -> None:
    notify_sla_alert.enqueue(alert_id)


def on_quote_created(sender: object, *, quote_id: int, **kwargs: Any) -> None:
    notify_quote.enqueue(quote_id)


def on_quota_threshold(sender: object, *, notice_id: int, **kwargs: Any) -> None:
    notify_quota.enqueue(notice_id)


def on_password_reset_requested(sender: object, *, email: str, **kwargs: Any) -> None:
    send_password_reset.enqueue(email)


def connect() -> None:
    password_reset_requested.connect(
        on_password_reset_requested, dispatch_uid="mail.on_password_reset_requested"
    )
    quote_created.connect(on_quote_created, dispatch_uid="mail.on_quote_created")
    quota_threshold_reached.connect(on_quota_threshold, dispatch_uid="mail.on_quota_threshold")
    ticket_created.connect(on_ticket_created, dispatch_uid="mail.on_ticket_created")
    message_posted.connect(on_message_posted, dispatch_uid="mail.on_message_posted")
    sla_alert_raised.connect(on_sla_alert, dispatch_uid="mail.on_sla_alert")
    ticket_assigned.connect(on_ticket_assigned, dispatch_uid="mail.on_ticket_assigned")
    idea_status_changed.connect(on_idea_status_changed, dispatch_uid="mail.on_idea_status")
    ticket_out_of_scope.connect(on_out_of_scope, dispatch_uid="mail.on_out_of_scope")
    ticket_merged.connect(on_ticket_merged, dispatch_uid="mail.on_ticket_merged")
    incident_notices.connect()
    satisfaction_notices.connect()


def disconnect() -> None:
    password_reset_requested.disconnect(dispatch_uid="mail.on_password_reset_requested")
    quote_created.disconnect(dispatch_uid="mail.on_quote_created")
    quota_threshold_reached.disconnect(dispatch_uid="mail.on_quota_threshold")
    ticket_created.disconnect(dispatch_uid="mail.on_ticket_created")
    message_posted.disconnect(dispatch_uid="mail.on_message_posted")
    sla_alert_raised.disconnect(dispatch_uid="mail.on_sla_alert")
    ticket_assigned.disconnect(dispatch_uid="mail.on_ticket_assigned")
    idea_status_changed.disconnect(dispatch_uid="mail.on_idea_status")
    ticket_out_of_scope.disconnect(dispatch_uid="mail.on_out_of_scope")
    ticket_merged.disconnect(dispatch_uid="mail.on_ticket_merged")
    incident_notices.disconnect()
    satisfaction_notices.disconnect()
