"""Outbound mail: one entry point, `send_email`, and the delivery step the worker runs."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import MIMEPart
from email.utils import make_msgid
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tiketti.personal_data import masked
from tiketti.tickets.models import ThreadId, Ticket, TicketEvent
from tiketti.tickets.services import record_event, register_thread_id
from tiketti.tickets.subjects import shorten_subject, subject_limit

from .models import OutgoingEmail, interrupted

SUBJECT_LIMIT = subject_limit(OutgoingEmail)

logger = logging.getLogger(__name__)

# Clients thread by the first and the latest ids; a longer header only grows the mail.
MAX_REFERENCES = 20


def new_message_id() -> str:
    return make_msgid(domain=settings.TIKETTI_MAIL_DOMAIN).strip("<>")


def thread_message_ids(ticket: Ticket) -> list[str]:
    """Every Message-ID of the ticket's conversation, received or sent, oldest first."""
    known = ThreadId.objects.filter(ticket=ticket).order_by("created_at", "pk")
    return list(known.values_list("message_id", flat=True))


def _references(ids: list[str]) -> str:
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(f"<{i}>" for i in ids)


class Addressee(Protocol):
    """Who a mail goes to: a person in the database, or just an address (a stranger)."""

    @property
    def email(self) -> str: ...

    @property
    def language(self) -> str: ...

    def get_short_name(self) -> str: ...


@dataclass(frozen=True)
class Stranger:
    """Someone who wrote to us and is nobody's contact: they get an address and a language."""

    email: str
    language: str
    name: str = ""

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""


def may_send_automatic(address: str) -> bool:
    """At most TIKETTI_AUTO_REPLY_LIMIT automatic mails an hour to one address, so two
    helpdesks answering each other can never ping-pong."""
    since = timezone.now() - timedelta(hours=1)
    sent = OutgoingEmail.objects.filter(to=address, is_automatic=True, created_at__gte=since)
    return sent.count() < settings.TIKETTI_AUTO_REPLY_LIMIT


def send_email(
    *,
    template: str,
    recipient: Addressee,
    context: Mapping[str, Any],
    ticket: Ticket | None = None,
    is_automatic: bool = False,
    thread: Sequence[str] | None = None,
    calendar_ics: str = "",
) -> OutgoingEmail:
    """Render `mail/emails/<template>-{subject.txt,body.txt,body.html}` in the recipient's
    language, store it and have the worker deliver it after the transaction commits.

    `thread` is the conversation's Message-IDs when several people get the same news: each
    copy then answers the same thread, not its sibling. `calendar_ics` is an iCalendar
    invitation (METHOD:REQUEST) that goes along as a text/calendar part.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        full_context = {
            "recipient": recipient,
            "ticket": ticket,
            "site_name": settings.TIKETTI_SITE_NAME,
            "base_url": settings.TIKETTI_BASE_URL,
            **context,
        }
        subject: str = render_to_string(f"mail/emails/{template}-subject.txt", full_context)
        body_text: str = render_to_string(f"mail/emails/{template}-body.txt", full_context)
        body_html: str = render_to_string(f"mail/emails/{template}-body.html", full_context)
    if ticket is not None and ticket.personal_data_found_at is not None:
        # The customer sent identity codes: no mail of ours sends them back (an
        # acknowledgement quotes the request), and none is stored to be redacted later.
        subject, body_text, body_html = masked(subject), masked(body_text), masked(body_html)
    if thread is None:
        thread = thread_message_ids(ticket) if ticket else []
    email = OutgoingEmail.objects.create(
        ticket=ticket,
        template=template,
        to=recipient.email,
        language=recipient.language,
        subject=shorten_subject(subject, SUBJECT_LIMIT),
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        message_id=new_message_id(),
        in_reply_to=f"<{thread[-1]}>" if thread else "",
        references=_references(list(thread)),
        is_automatic=is_automatic,
        calendar_ics=calendar_ics,
    )
    if ticket is not None:
        register_thread_id(ticket, email.message_id)  # replies to this mail find the ticket
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


def enqueue_delivery(email_id: int, delay: timedelta | None = None) -> None:
    from .tasks import deliver_email

    task = deliver_email
    if delay is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic sweep picks it up when it is due
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(email_id)


def retry_delay(attempt_count: int) -> timedelta:
    """1, 2, 4, … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempt_count - 1, 0), 360))


@dataclass(frozen=True)
class Claim:
    email: OutgoingEmail
    is_retry_after_interruption: bool


def _claim(email_id: int) -> Claim | None:
    """Take the mail for delivery unless another worker has it or it is done: a queued
    mail, or one whose earlier sending was interrupted (its claim expired). Each is one
    conditional UPDATE, so of two workers only one wins. The attempt counts at once: a
    mail that takes its worker down every time still reaches the retry limit."""
    now = timezone.now()
    rows = OutgoingEmail.objects.filter(pk=email_id)
    take = {
        "status": OutgoingEmail.Status.SENDING,
        "claimed_at": now,
        "next_attempt_at": now,
        "attempt_count": F("attempt_count") + 1,
    }
    if rows.filter(status=OutgoingEmail.Status.QUEUED).update(**take):
        return Claim(rows.select_related("ticket").get(), is_retry_after_interruption=False)
    if rows.filter(interrupted()).update(**take):
        return Claim(rows.select_related("ticket").get(), is_retry_after_interruption=True)
    return None


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    headers = {"Message-ID": f"<{email.message_id}>"}
    if email.in_reply_to:
        headers["In-Reply-To"] = email.in_reply_to
        headers["References"] = email.references
    if email.is_automatic:
        # RFC 3834: other systems must not auto-answer this one.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    if email.ticket_id is not None:
        headers["X-Tiketti-Ticket"] = email.ticket.number if email.ticket else ""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.calendar_ics:
        message.attach(_calendar_part(email.calendar_ics))
    return message


def _calendar_part(ics: str) -> MIMEPart:
    """An invitation calendar clients offer to accept: text/calendar with method=REQUEST
    (a plain .ics attachment without the method is only offered as a file)."""
    part = MIMEPart()
    part.set_content(ics, subtype="calendar", params={"method": "REQUEST"}, filename="invite.ics")
    return part


def deliver(email_id: int) -> OutgoingEmail | None:
    """Send one stored mail. Failures are recorded and retried with backoff; a send that
    was interrupted is made again with the same Message-ID, so clients show it once."""
    claim = _claim(email_id)
    if claim is None:
        return None
    email = claim.email
    if claim.is_retry_after_interruption:
        if email.attempt_count > settings.TIKETTI_MAIL_RETRY_LIMIT:
            return _give_up(email, "Sending was interrupted on every attempt.")
        logger.warning("Mail %s to %s was interrupted: sending it again.", email.pk, email.to)
        if email.ticket is not None:  # the ticket's history says why it may arrive twice
            record_event(email.ticket, None, TicketEvent.Kind.MAIL_RETRIED, "", email.to)
    try:
        build_message(email).send(fail_silently=False)
    except Exception as error:  # any transport failure: record it, retry later
        logger.warning("Sending mail %s to %s failed: %s", email.pk, email.to, error)
        error_text = f"{type(error).__name__}: {error}"[:2000]
        if email.attempt_count >= settings.TIKETTI_MAIL_RETRY_LIMIT:
            return _give_up(email, error_text)
        email.last_error = error_text
        email.status = OutgoingEmail.Status.QUEUED
        email.next_attempt_at = timezone.now() + retry_delay(email.attempt_count)
        email.save(update_fields=["last_error", "status", "next_attempt_at"])
        enqueue_delivery(email.pk, retry_delay(email.attempt_count))
        return email
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return email


def _give_up(email: OutgoingEmail, error: str) -> OutgoingEmail:
    email.status = OutgoingEmail.Status.FAILED
    email.last_error = error
    email.save(update_fields=["status", "last_error"])
    return email


def retry_due_emails() -> int:
    """Deliver queued mail whose time has come (after a crash, or on a backend that
    cannot defer) and mail whose sending was interrupted (claim expired)."""
    count = 0
    for email_id in OutgoingEmail.objects.due().values_list("pk", flat=True)[:500]:
        deliver(email_id)
        count += 1
    return count
