"""Delivery of stored outgoing mail: claimed in batches, sent over one SMTP connection,
marked in bulk.

A worker takes up to BATCH due mails in one transaction (on PostgreSQL the rows are locked
with SKIP LOCKED, so several workers take different mails; SQLite's IMMEDIATE transactions
make two workers' claims run one after the other), renders them with their tickets in one
query and sends them over one connection, then records every outcome with one UPDATE.

What a failure touches:
- the server refuses one mail (a recipient, the sender or the message itself, 4xx or 5xx):
  only that mail fails, with the server's reply, and is retried with backoff up to
  TIKETTI_MAIL_RETRY_LIMIT as before; the rest of the batch goes on;
- the connection drops (or the server says 421, closing): the mail being sent counts a
  failed attempt; the connection is opened again for the rest. If it cannot be, the mails
  not yet tried are put back as they were (their attempt not counted) and wait a minute.
A worker killed mid-batch leaves its mails claimed; their claims expire after
TIKETTI_MAIL_CLAIM_SECONDS and they are sent again with the same Message-ID. A batch that
has taken half that time (a slow server) sends no more: the rest go back to the queue.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import MIMEPart
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from tiketti.operations.task_backend import waiting_to_start
from tiketti.tickets.models import TicketEvent
from tiketti.tickets.services import record_event

from .models import OutgoingEmail, interrupted

logger = logging.getLogger("tiketti.mail.services")
Status = OutgoingEmail.Status

BATCH = 100  # mails claimed, sent over one connection and marked together
PER_TASK = 10 * BATCH  # mails one delivery task takes before it leaves the rest to the next
# What a batch's UPDATE writes: each mail's outcome.
OUTCOME_FIELDS = ["status", "sent_at", "last_error", "next_attempt_at", "attempt_count"]


def enqueue_delivery(email_id: int, delay: timedelta | None = None) -> None:
    """Have a worker send the due mail. A delivery task sends every mail due when it runs,
    so a new mail queues no task while one is waiting to start."""
    from .tasks import deliver_email

    task = deliver_email
    if delay is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic sweep picks it up when it is due
        task = task.using(run_after=timezone.now() + delay)
    elif waiting_to_start(task):
        return
    task.enqueue(email_id)


def retry_delay(attempt_count: int) -> timedelta:
    """1, 2, 4, … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempt_count - 1, 0), 360))


@dataclass(frozen=True)
class Claim:
    email: OutgoingEmail
    is_retry_after_interruption: bool


def _take(now: Any) -> dict[str, Any]:
    """A claim: the attempt counts at once, so a mail that takes its worker down every
    time still reaches the retry limit."""
    return {
        "status": Status.SENDING,
        "claimed_at": now,
        "next_attempt_at": now,
        "attempt_count": F("attempt_count") + 1,
    }


def _claim(email_id: int) -> Claim | None:
    """Take one mail unless another worker has it or it is done: a queued mail, or one
    whose earlier sending was interrupted (its claim expired). Each is one conditional
    UPDATE, so of two workers only one wins."""
    rows = OutgoingEmail.objects.filter(pk=email_id)
    take = _take(timezone.now())
    if rows.filter(status=Status.QUEUED).update(**take):
        return Claim(rows.select_related("ticket").get(), is_retry_after_interruption=False)
    if rows.filter(interrupted()).update(**take):
        return Claim(rows.select_related("ticket").get(), is_retry_after_interruption=True)
    return None


def claim_batch(size: int = BATCH) -> list[Claim]:
    """Take up to `size` due mails, oldest due first, in one transaction: the due rows
    (locked on PostgreSQL, skipping those another worker is taking), one UPDATE, and the
    mails with their tickets."""
    with transaction.atomic():
        due = OutgoingEmail.objects.due().order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        picked = dict(due.values_list("pk", "status")[:size])
        if not picked:
            return []
        OutgoingEmail.objects.filter(pk__in=picked).update(**_take(timezone.now()))
        emails = OutgoingEmail.objects.filter(pk__in=picked).select_related("ticket")
        return [Claim(email, picked[email.pk] == Status.SENDING) for email in emails]


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


class Connection:
    """The default mailer, opened at the first mail and kept open for the next ones."""

    def __init__(self) -> None:
        self.mailer: Any = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.mailer is None:
            mailer = mailers.default
            mailer.open()  # opened here, send_messages leaves it open
            self.mailer = mailer
        self.mailer.send_messages([message])

    def open(self) -> None:
        self.close()
        mailer = mailers.default
        mailer.open()
        self.mailer = mailer

    def close(self) -> None:
        if self.mailer is not None:
            with contextlib.suppress(Exception):  # a dropped connection cannot say goodbye
                self.mailer.close()
            self.mailer = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def connection_lost(error: Exception) -> bool:
    """Whether the error ended the connection (rather than refusing one mail on it)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421  # "closing transmission channel"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _ in error.recipients.values())
    return isinstance(error, OSError)  # disconnected, reset, timed out (SMTP errors are too)


def describe_failure(error: Exception) -> str:
    """The failure as recorded on the mail: with the server's reply when it gave one."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        text = f"{type(error).__name__}: {replies}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:2000]


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def send_claimed(claims: list[Claim], channel: Connection) -> bool:
    """Send the claimed mails over `channel` and record the outcomes (one UPDATE for the
    sent ones, one for any others).
    Returns False when the server could not be reached again after a lost connection:
    the mails not tried then wait, unclaimed."""
    sent: list[OutgoingEmail] = []
    done: list[OutgoingEmail] = []  # tried and failed, or not tried
    retries: set[timedelta] = set()
    reachable = True
    try:
        pending = [email for claim in claims if (email := _ready(claim, done)) is not None]
        # No mail is sent once its claim could be taken for an interrupted one: past half
        # its time, the rest go back to the queue, due at once (a fresh claim for them).
        deadline = timezone.now() + timedelta(seconds=settings.TIKETTI_MAIL_CLAIM_SECONDS / 2)
        for index, email in enumerate(pending):
            if index and timezone.now() > deadline:
                done.extend(_released(pending[index:], "", due=timezone.now()))
                break
            try:
                channel.send(build_message(email))
            except Exception as error:  # any transport failure: record it, retry later
                lost = connection_lost(error)
                retry = _failed(email, describe_failure(error))
                if retry is not None:
                    retries.add(retry)
                done.append(email)
                if lost and not _reconnected(channel):
                    done.extend(_released(pending[index + 1 :], describe_failure(error)))
                    retries.add(retry_delay(1))
                    reachable = False
                    break
                continue
            sent.append(email)
    finally:
        _record(sent, done)
        for delay in sorted(retries):  # one deferred task sends all that are due by then
            enqueue_delivery(claims[0].email.pk, delay)
    return reachable


def _record(sent: list[OutgoingEmail], others: list[OutgoingEmail]) -> None:
    """The sent mails in one UPDATE (one time for the batch: when it was recorded), the
    others (failed, handed back) in one more, each with its own outcome."""
    now = timezone.now()
    for email in sent:
        email.status, email.sent_at, email.last_error = Status.SENT, now, ""
    if sent:
        sent_ids = [email.pk for email in sent]
        OutgoingEmail.objects.filter(pk__in=sent_ids).update(
            status=Status.SENT, sent_at=now, last_error=""
        )
    OutgoingEmail.objects.bulk_update(others, OUTCOME_FIELDS)


def _ready(claim: Claim, done: list[OutgoingEmail]) -> OutgoingEmail | None:
    """The mail to send, or None when an interrupted one reached the retry limit."""
    email = claim.email
    if not claim.is_retry_after_interruption:
        return email
    if email.attempt_count > settings.TIKETTI_MAIL_RETRY_LIMIT:
        email.status = Status.FAILED
        email.last_error = "Sending was interrupted on every attempt."
        done.append(email)
        return None
    logger.warning("Mail %s to %s was interrupted: sending it again.", email.pk, email.to)
    if email.ticket is not None:  # the ticket's history says why it may arrive twice
        record_event(email.ticket, None, TicketEvent.Kind.MAIL_RETRIED, "", email.to)
    return email


def _failed(email: OutgoingEmail, error_text: str) -> timedelta | None:
    """Record a failed attempt: queued again after a pause, or failed for good at the
    retry limit. Returns the pause."""
    logger.warning("Sending mail %s to %s failed: %s", email.pk, email.to, error_text)
    email.last_error = error_text
    if email.attempt_count >= settings.TIKETTI_MAIL_RETRY_LIMIT:
        email.status = Status.FAILED
        return None
    delay = retry_delay(email.attempt_count)
    email.status = Status.QUEUED
    email.next_attempt_at = timezone.now() + delay
    return delay


def _reconnected(channel: Connection) -> bool:
    try:
        channel.open()
    except Exception as error:
        logger.warning("The mail server cannot be reached: %s", describe_failure(error))
        channel.close()
        return False
    return True


def _released(
    emails: list[OutgoingEmail], reason: str, due: datetime | None = None
) -> list[OutgoingEmail]:
    """Put untried mails back as they were before the claim, due in a minute (or `due`)."""
    due = due or timezone.now() + retry_delay(1)
    for email in emails:
        email.status = Status.QUEUED
        email.attempt_count -= 1
        email.next_attempt_at = due
        email.last_error = reason or email.last_error
    return emails


def deliver(email_id: int) -> OutgoingEmail | None:
    """Send one stored mail, unless another worker has it or it is done."""
    claim = _claim(email_id)
    if claim is None:
        return None
    with Connection() as channel:
        send_claimed([claim], channel)
    return claim.email


def deliver_due(limit: int | None = None) -> int:
    """Send the due mail in batches over one connection until none is due (or `limit`
    mails were taken); returns how many were taken. A full batch asks for another
    worker's help first (a second delivery task, unless one waits already)."""
    taken = 0
    with Connection() as channel:
        while limit is None or taken < limit:
            size = BATCH if limit is None else min(BATCH, limit - taken)
            claims = claim_batch(size)
            if not claims:
                break
            taken += len(claims)
            if len(claims) == BATCH:
                _ask_for_help(claims[0].email.pk)
            if not send_claimed(claims, channel):
                break  # the server is away: the rest wait for their retry
    return taken


def _ask_for_help(email_id: int) -> None:
    from .tasks import deliver_email

    if isinstance(deliver_email.get_backend(), DatabaseBackend):  # another worker may take it
        enqueue_delivery(email_id)


def retry_due_emails() -> int:
    """Deliver queued mail whose time has come (after a crash, or on a backend that
    cannot defer) and mail whose sending was interrupted (claim expired)."""
    return deliver_due(limit=500)
