"""Staff decisions on held or failed inbound mail: process again, or discard. Both are
audited; the raw message stays stored either way."""

from __future__ import annotations

from django.db import transaction

from tiketti.accounts.models import User
from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit

from . import inbound
from .models import InboundMessage


def _sender(inbound_message: InboundMessage) -> str:
    return inbound_message.sender or f"#{inbound_message.pk}"


def retry_held(inbound_message: InboundMessage, actor: User) -> InboundMessage:
    """Process a held or failed message again (after a fix), and record who did."""
    before = inbound_message.reason or inbound_message.status
    result = inbound.process(inbound_message.pk)
    record_audit(
        AuditEntry.Action.HELD_MAIL_RETRIED,
        actor=actor,
        target=result,
        target_label=_sender(result),
        details={"reason": before, "outcome": inbound.describe(result)},
    )
    return result


def discard_held(inbound_message: InboundMessage, actor: User) -> None:
    """Staff decided a held or failed message needs nothing more. It stays stored."""
    with transaction.atomic():
        InboundMessage.objects.filter(pk=inbound_message.pk).update(
            status=InboundMessage.Status.DROPPED, reason=f"discarded by {actor.email}"[:60]
        )
        record_audit(
            AuditEntry.Action.HELD_MAIL_DISCARDED,
            actor=actor,
            target=inbound_message,
            target_label=_sender(inbound_message),
            details={"reason": inbound_message.reason or inbound_message.status},
        )
