"""The retention purge: only closed tickets past the period, their texts, files and mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from tiketti.audit.models import AuditEntry
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.operations.periodic import SCHEDULES, run_job
from tiketti.privacy.retention import months_before, purge_closed_tickets, purge_due
from tiketti.privacy.scrubbing import purged_placeholder
from tiketti.tickets.models import Attachment, Message, Ticket

from .conftest import ingest, mail_from_maija


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2026-12-04T10:00", 1, "2026-11-04T10:00"),
        ("2026-12-04T10:00", 12, "2025-12-04T10:00"),
        ("2026-03-31T23:59", 1, "2026-02-28T23:59"),
        ("2024-03-31T08:00", 1, "2024-02-29T08:00"),  # leap year
        ("2026-01-15T00:00", 1, "2025-12-15T00:00"),  # across the year
        ("2026-05-31T12:00", 25, "2024-04-30T12:00"),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    start = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    assert months_before(start, months) == datetime.fromisoformat(expected).replace(tzinfo=UTC)


def age(ticket: Ticket, *, status: str, days: int) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(
        status=status, updated_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def three_tickets(main_user, agent):
    """An old closed ticket with mail and a file, a recently closed one, an old solved one."""
    old = ingest(mail_from_maija()).ticket
    recent, old_solved = (
        ingest(mail_from_maija().replace(b"kassa-1", f"kassa-{n}".encode())).ticket for n in (2, 3)
    )
    age(old, status=Ticket.Status.CLOSED, days=200)
    age(recent, status=Ticket.Status.CLOSED, days=20)
    age(old_solved, status=Ticket.Status.SOLVED, days=200)
    return old, recent, old_solved


def test_purge_empties_only_closed_tickets_older_than_the_period(three_tickets):
    old, recent, old_solved = three_tickets
    file_name = old.attachments.get().file.name
    storage = Attachment._meta.get_field("file").storage
    with TestCase.captureOnCommitCallbacks(execute=True):
        counts = purge_closed_tickets(months=6)
    assert counts.tickets == 1 and counts.attachments == 1 and counts.raw_emails == 1
    old.refresh_from_db()
    placeholder = purged_placeholder("en")
    assert old.subject == placeholder and old.purged_at is not None
    assert old.status == Ticket.Status.CLOSED  # its figures stay
    assert [m.body_text for m in old.messages.all()] == [placeholder]
    assert not storage.exists(file_name)
    assert not InboundMessage.objects.filter(ticket=old).exists()
    assert not OutgoingEmail.objects.filter(ticket=old).exists()
    for kept in (recent, old_solved):
        kept.refresh_from_db()
        assert kept.subject == "Kassa kaatuu aina" and kept.purged_at is None
        assert kept.attachments.count() == 1 and InboundMessage.objects.filter(ticket=kept)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TICKETS_PURGED)
    assert entry.details["tickets"] == 1 and entry.details["months"] == 6


def test_a_dry_run_counts_and_changes_nothing(three_tickets):
    out = StringIO()
    call_command("privacy", "purge", "--dry-run", "--months", "6", stdout=out)
    assert out.getvalue().startswith("would purge 1 closed ticket(s) older than 6 month(s)")
    assert not Ticket.objects.filter(purged_at__isnull=False).exists()
    assert Message.objects.exclude(body_text=purged_placeholder("en")).count() == 3
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.TICKETS_PURGED).exists()


def test_purging_twice_purges_nothing_the_second_time(three_tickets):
    assert purge_closed_tickets(months=6).tickets == 1
    assert purge_closed_tickets(months=6).tickets == 0
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TICKETS_PURGED).count() == 1


def test_the_command_reads_the_setting_and_shows_progress(main_user, settings):
    from tiketti.tickets.intake import IntakeRequest, submit_request

    for n in range(30):
        ticket = submit_request(
            IntakeRequest(channel="portal", requester=main_user, subject=f"S{n}", body_text="x")
        ).ticket
        age(ticket, status=Ticket.Status.CLOSED, days=100)
    settings.TIKETTI_RETENTION_MONTHS = 3
    out, err = StringIO(), StringIO()
    call_command("privacy", "purge", stdout=out, stderr=err)
    assert out.getvalue().startswith("purged 30 closed ticket(s) older than 3 month(s)")
    assert "30/30 tickets" in err.getvalue()


def test_without_a_retention_setting_nothing_is_purged(three_tickets, settings):
    settings.TIKETTI_RETENTION_MONTHS = None
    out = StringIO()
    call_command("privacy", "purge", stdout=out)
    assert "retention not set" in out.getvalue()
    assert purge_due() == "retention not set: tickets are kept"
    assert not Ticket.objects.filter(purged_at__isnull=False).exists()


def test_the_periodic_job_purges_when_the_period_is_set(three_tickets, settings):
    assert "purge-closed-tickets" in {schedule.name for schedule in SCHEDULES}
    settings.TIKETTI_RETENTION_MONTHS = 6
    run_job("purge-closed-tickets")
    assert Ticket.objects.filter(purged_at__isnull=False).count() == 1
