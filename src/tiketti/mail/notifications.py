"""Who is told what when a ticket changes. Reacts to ticket events (see receivers)."""

from __future__ import annotations

from django.db import transaction

from tiketti.accounts.models import User
from tiketti.tickets.escalation import team_leads
from tiketti.tickets.models import Message, SlaAlert, Ticket

from .services import send_email, thread_message_ids


def acknowledge_ticket(ticket_id: int, message_id: int) -> None:
    """Confirm a new request to its requester, with the ticket number to quote."""
    ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
    message = Message.objects.get(pk=message_id)
    with transaction.atomic():
        send_email(
            template="acknowledgement",
            recipient=ticket.requester,
            context={"message": message},
            ticket=ticket,
            is_automatic=True,
        )


def announce_message(ticket_id: int, message_id: int) -> None:
    """Staff replies go to the requester and the cc'd contacts; a customer's reply goes to
    the assignee. Internal notes go nowhere."""
    message = Message.objects.select_related("author", "ticket__assignee").get(pk=message_id)
    if message.is_internal:
        return
    ticket = message.ticket
    if message.author.is_agent:
        template = "agent-reply"
        recipients = [ticket.requester, *ticket.cc.all()]
    else:
        template = "customer-reply"
        recipients = [ticket.assignee] if ticket.assignee else []
    thread = thread_message_ids(ticket)
    with transaction.atomic():
        for recipient in recipients:
            if recipient.is_active and recipient.pk != message.author_id:
                send_email(
                    template=template,
                    recipient=recipient,
                    context={"message": message},
                    ticket=ticket,
                    thread=thread,
                )


def mail_password_reset(user: User, reset_url: str) -> None:
    with transaction.atomic():
        send_email(
            template="password-reset",
            recipient=user,
            context={"reset_url": reset_url},
            is_automatic=True,
        )


def announce_sla_alert(alert_id: int) -> None:
    """Tell the assignee and the team's leads that a deadline is close or has passed."""
    alert = SlaAlert.objects.select_related("ticket__assignee").get(pk=alert_id)
    ticket = alert.ticket
    people = [ticket.assignee, *team_leads(ticket)] if ticket.assignee else list(team_leads(ticket))
    seen: set[int] = set()
    with transaction.atomic():
        for person in people:
            if person is not None and person.is_active and person.pk not in seen:
                seen.add(person.pk)
                send_email(
                    template="sla-alert",
                    recipient=person,
                    context={"alert": alert},
                    ticket=ticket,
                    is_automatic=True,
                )
