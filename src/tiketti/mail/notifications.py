"""Who is told what when a ticket changes. Reacts to ticket events (see receivers)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tiketti.accounts.models import User
from tiketti.accounts.password_reset import reset_recipients, reset_url
from tiketti.contracts.models import QuotaNotice, Quote
from tiketti.contracts.services import on_call_phone
from tiketti.contracts.timetracking import month_usage
from tiketti.tickets.escalation import team_leads
from tiketti.tickets.models import Idea, Message, SlaAlert, Ticket, TicketEvent
from tiketti.tickets.services import record_event

from .models import InboundMessage
from .services import Stranger, may_send_automatic, send_email, thread_message_ids
from .staff_notices import announce_customer_reply


def acknowledge_ticket(ticket_id: int, message_id: int) -> None:
    """Confirm a new request to its requester, with the ticket number to quote."""
    ticket = Ticket.objects.select_related("requester", "organisation").get(pk=ticket_id)
    message = Message.objects.get(pk=message_id)
    if not may_send_automatic(ticket.requester.email):
        # A flood from one sender: the tickets exist, the echoes stop; the ticket says so.
        record_event(ticket, None, TicketEvent.Kind.MAIL_HELD_BACK, "", ticket.requester.email)
        return
    # An acute incident: the customer gets the number to call at once (MISSION R14).
    phone = on_call_phone(ticket.organisation) if ticket.is_acute else ""
    with transaction.atomic():
        send_email(
            template="acknowledgement",
            recipient=ticket.requester,
            context={"message": message, "on_call_phone": phone},
            ticket=ticket,
            is_automatic=True,
        )


def explain_out_of_scope(ticket_id: int) -> None:
    """Give the requester the admin-written out-of-scope answer, in their language."""
    ticket = Ticket.objects.select_related("requester", "scope_answer").get(pk=ticket_id)
    if ticket.scope_answer is None:
        return
    requester = ticket.requester
    answer = ticket.scope_answer.text_for(requester.language or settings.LANGUAGE_CODE)
    with transaction.atomic():
        send_email(
            template="out-of-scope",
            recipient=requester,
            context={"answer": answer},
            ticket=ticket,
        )


def announce_merge(ticket_id: int, survivor_id: int) -> None:
    """Tell the merged ticket's requester, once, which ticket their matter goes on in."""
    merged = Ticket.objects.select_related("requester").get(pk=ticket_id)
    survivor = Ticket.objects.get(pk=survivor_id)
    with transaction.atomic():
        send_email(
            template="ticket-merged",
            recipient=merged.requester,
            context={"merged": merged},
            ticket=survivor,
        )


def announce_message(ticket_id: int, message_id: int) -> None:
    """Staff replies go to the requester and the cc'd contacts; a customer's reply goes to
    the assignee. Internal notes go nowhere."""
    message = Message.objects.select_related("author", "ticket__assignee").get(pk=message_id)
    if message.is_internal:
        return
    ticket = message.ticket
    thread = thread_message_ids(ticket)
    if not message.author.is_agent:
        with transaction.atomic():
            announce_customer_reply(message, thread)
        return
    template = "agent-reply"
    recipients = [ticket.requester, *ticket.cc.all()]
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


def mail_password_reset(email: str) -> None:
    """Send a reset link to the account with this address, if there is one."""
    with transaction.atomic():
        for user in reset_recipients(email):
            send_email(
                template="password-reset",
                recipient=user,
                context={"reset_url": reset_url(user)},
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


HOLD_EXPLANATIONS = {
    "unknown_requester": "held-not-a-customer",
    "not_a_customer": "held-not-a-customer",
    "requester_inactive": "held-not-a-customer",
    "not_main_user": "held-ask-main-user",
}


def explain_held_message(inbound_id: int, reason: str, language: str = "") -> None:
    """Tell the sender, in their language, why their mail did not become a ticket and
    where to turn instead. Reveals no one else's address. Some holds (a stranger writing
    to someone's ticket) get no answer: it would confirm that the ticket exists."""
    template = HOLD_EXPLANATIONS.get(reason)
    inbound = InboundMessage.objects.only("sender", "subject").get(pk=inbound_id)
    if template is None or not inbound.sender or not may_send_automatic(inbound.sender):
        return
    person = User.objects.get_by_email(inbound.sender)
    # `language`: the one the stranger wrote in, as intake read it ("" when unclear).
    recipient = person or Stranger(inbound.sender, language or settings.TIKETTI_DEFAULT_LANGUAGE)
    with transaction.atomic():
        send_email(
            template=template,
            recipient=recipient,
            context={"subject": inbound.subject, "sales_email": settings.TIKETTI_SALES_EMAIL},
            is_automatic=True,
        )


def warn_about_personal_data(ticket_id: int) -> None:
    """Once per ticket: ask the requester not to send identity codes by e-mail, and give
    the secure way (the portal)."""
    ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
    with transaction.atomic():
        send_email(
            template="personal-data-warning",
            recipient=ticket.requester,
            context={},
            ticket=ticket,
            is_automatic=True,
        )


def _main_users(organisation_id: int | None) -> list[User]:
    if organisation_id is None:
        return []
    return list(User.objects.main_users_of(organisation_id))


def announce_quote(quote_id: int) -> None:
    """Send the quote to the organisation's main users, with how to approve it."""
    quote = Quote.objects.select_related("ticket").get(pk=quote_id)
    with transaction.atomic():
        for person in _main_users(quote.organisation_id):
            send_email(
                template="quote", recipient=person, context={"quote": quote}, ticket=quote.ticket
            )


def announce_quota(notice_id: int) -> None:
    """Tell the main users that the month's included support hours are (nearly) used."""
    notice = QuotaNotice.objects.select_related("organisation").get(pk=notice_id)
    usage = month_usage(notice.organisation, notice.month)
    with transaction.atomic():
        for person in _main_users(notice.organisation_id):
            send_email(
                template="quota-notice",
                recipient=person,
                context={"notice": notice, "usage": usage},
                is_automatic=True,
            )


def announce_idea_status(idea_id: int) -> None:
    """Tell the requesters of every ticket linked to the idea its new status, each in
    their language (once per person, however many of their tickets ask for it)."""
    idea = Idea.objects.get(pk=idea_id)
    requesters = User.objects.filter(requested_tickets__idea=idea, is_active=True).distinct()
    with transaction.atomic():
        for person in requesters:
            send_email(template="idea-status", recipient=person, context={"idea": idea})
