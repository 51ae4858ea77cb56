"""Removing personal identity codes that a customer sent by e-mail, permanently."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from tiketti.accounts.models import User
from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Message, Ticket, TicketEvent
from tiketti.tickets.search import reindex_ticket
from tiketti.tickets.services import record_event

from .models import InboundMessage, OutgoingEmail
from .personal_data import find_personal_identity_codes, masked, redact


def codes_remain(ticket: Ticket, thread: Iterable[Message]) -> bool:
    """Whether a customer's message of the ticket (`thread`: its messages, in hand) still
    holds an identity code that staff could remove."""
    if ticket.personal_data_found_at is None:
        return False
    return any(find_personal_identity_codes(m.body_text) for m in thread if not m.is_from_staff)


def redact_personal_data(*, message: Message, actor: User) -> int:
    """Mask every identity code in the message's text and delete the original e-mail's raw
    bytes (which hold the same codes, possibly encoded). Logged; cannot be undone.
    Returns how many codes were masked."""
    if not actor.is_agent:
        raise TicketError(_("Only staff can remove personal data."), code="forbidden")
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        findings = find_personal_identity_codes(locked.body_text)
        locked.body_text = redact(locked.body_text, findings)
        html_findings = find_personal_identity_codes(locked.body_html)
        locked.body_html = redact(locked.body_html, html_findings)
        locked.save(update_fields=["body_text", "body_html"])
        reindex_ticket(locked.ticket)  # the search index held the codes' digits too
        wiped = InboundMessage.objects.filter(ticket_message=locked).update(
            raw=b"", reason="personal data removed"
        )
        count = len(findings) + len(html_findings)
        copies = _mask_outgoing_copies(locked.ticket_id)
        record_event(
            locked.ticket,
            actor,
            TicketEvent.Kind.REDACTED,
            f"#{locked.pk}",
            f"{count} code(s) masked, {wiped} original e-mail(s) deleted, "
            f"{copies} stored outgoing e-mail(s) masked",
        )
    return count


def _mask_outgoing_copies(ticket_id: int) -> int:
    """Our stored e-mails about the ticket that quote an identity code (an acknowledgement
    quotes the request), masked too; returns how many. What was sent is gone, but the
    copy kept here is not a second place the code lives."""
    changed = []
    for email in OutgoingEmail.objects.select_for_update().filter(ticket_id=ticket_id):
        texts = (email.subject, email.body_text, email.body_html)
        email.subject, email.body_text, email.body_html = (masked(text) for text in texts)
        if (email.subject, email.body_text, email.body_html) != texts:
            changed.append(email)
    OutgoingEmail.objects.bulk_update(changed, ["subject", "body_text", "body_html"])
    return len(changed)
