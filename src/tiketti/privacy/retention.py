"""Purging closed tickets once the retention period (TIKETTI_RETENTION_MONTHS) is over.

A purged ticket keeps its row and its messages' rows: number, organisation, category,
timestamps, status, SLA results, who answered when, time entries, so reports for those
months show the same figures. What people wrote goes: the subject and every text become a
placeholder, attachments and their files are deleted, the raw e-mails and our stored
copies of mail about the ticket are deleted, survey comments are cleared.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.satisfaction.models import Survey
from tiketti.tickets.models import (
    Attachment,
    Message,
    Ticket,
    TicketQuerySet,
    TicketSearchDocument,
)

from .scrubbing import delete_files_after_commit, purged_placeholder

type Progress = Callable[[int, int], None]
# Tickets purged per transaction: a long purge never holds one huge lock.
CHUNK = 100


@dataclass
class PurgeCounts:
    tickets: int = 0
    messages: int = 0
    attachments: int = 0
    raw_emails: int = 0
    sent_emails: int = 0


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter: 31 March minus one month is 28 or 29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def due_for_purge(months: int, now: datetime | None = None) -> TicketQuerySet:
    """Closed tickets untouched for `months` months and not purged yet."""
    cutoff = months_before(now or timezone.now(), months)
    return Ticket.objects.filter(
        status=Ticket.Status.CLOSED, updated_at__lt=cutoff, purged_at__isnull=True
    )


def purge_closed_tickets(
    *,
    months: int,
    now: datetime | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> PurgeCounts:
    """Purge every ticket `due_for_purge`; with `dry_run`, only count them. Audit-logged
    when anything was purged."""
    ids = list(due_for_purge(months, now).order_by("pk").values_list("pk", flat=True))
    counts = PurgeCounts()
    if dry_run:
        counts.tickets = len(ids)
        counts.messages = Message.objects.filter(ticket_id__in=ids).count()
        counts.attachments = Attachment.objects.filter(ticket_id__in=ids).count()
        return counts
    language = settings.TIKETTI_DEFAULT_LANGUAGE
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            _purge(chunk, counts, language)
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids))
    if counts.tickets:
        record_audit(
            AuditEntry.Action.TICKETS_PURGED,
            target_type="tickets.ticket",
            target_label=f"{counts.tickets} ticket(s)",
            details={"months": months, **asdict(counts)},
        )
    return counts


def _purge(ids: list[int], counts: PurgeCounts, language: str) -> None:
    # Locked and checked again: a ticket reopened meanwhile is not purged.
    tickets = list(
        Ticket.objects.select_for_update()
        .filter(pk__in=ids, status=Ticket.Status.CLOSED, purged_at__isnull=True)
        .values_list("pk", flat=True)
    )
    placeholder = purged_placeholder(language)
    files = Attachment.objects.filter(ticket_id__in=tickets)
    names = [name for name in files.values_list("file", flat=True) if name]
    counts.attachments += _deleted(files)
    storage = Attachment._meta.get_field("file").storage
    delete_files_after_commit(storage, names)
    counts.messages += Message.objects.filter(ticket_id__in=tickets).update(
        body_text=placeholder, body_html=""
    )
    counts.raw_emails += _deleted(InboundMessage.objects.filter(ticket_id__in=tickets))
    counts.sent_emails += _deleted(OutgoingEmail.objects.filter(ticket_id__in=tickets))
    Survey.objects.filter(ticket_id__in=tickets).update(comment="")
    TicketSearchDocument.objects.filter(ticket_id__in=tickets).update(terms="")
    counts.tickets += Ticket.objects.filter(pk__in=tickets).update(
        subject=placeholder, purged_at=timezone.now(), version=F("version") + 1
    )


def _deleted(rows: QuerySet[Any]) -> int:
    """Delete `rows`; how many of the model itself went (not what cascaded with them)."""
    return rows.delete()[1].get(rows.model._meta.label, 0)


def purge_due() -> str:
    """The periodic job: purge when a retention period is set."""
    months = settings.TIKETTI_RETENTION_MONTHS
    if months is None:
        return "retention not set: tickets are kept"
    counts = purge_closed_tickets(months=months)
    return f"purged {counts.tickets} closed ticket(s) older than {months} month(s)"
