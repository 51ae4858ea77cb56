"""Outbound mail: one entry point, `send_email`; the worker's delivery step is in
`delivery` (sent in batches over one connection)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tiketti.personal_data import masked
from tiketti.tickets.models import ThreadId, Ticket
from tiketti.tickets.services import register_thread_id
from tiketti.tickets.subjects import shorten_subject, subject_limit

from .delivery import (
    build_message,
    deliver,
    deliver_due,
    enqueue_delivery,
    retry_delay,
    retry_due_emails,
)
from .models import OutgoingEmail

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


__all__ = [
    "Addressee",
    "Stranger",
    "build_message",
    "deliver",
    "deliver_due",
    "enqueue_delivery",
    "may_send_automatic",
    "new_message_id",
    "retry_delay",
    "retry_due_emails",
    "send_email",
    "thread_message_ids",
]
