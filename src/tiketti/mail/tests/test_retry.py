"""A message whose processing fails for a passing reason is retried by the worker; one that
fails for good waits for an admin, and the desk says which is which."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tiketti.mail import failures, inbound
from tiketti.mail.models import InboundMessage
from tiketti.operations.periodic import SCHEDULES, run_job
from tiketti.tickets.models import Ticket, TicketSequence

from .test_inbound import make

Status = InboundMessage.Status


@pytest.mark.parametrize(
    ("failure_count", "pause"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (50, 60)],
)
def test_the_pause_before_a_retry_doubles_from_a_minute_up_to_an_hour(failure_count, pause):
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert failures.next_attempt_at(failure_count, now) == now + timedelta(minutes=pause)


def test_only_database_errors_are_passing():
    assert failures.is_passing(OperationalError("database is locked"))
    assert not failures.is_passing(ValueError("unreadable"))


@contextmanager
def database_locked_until_a_writer_gives_up() -> Iterator[None]:
    """Another connection holds what intake writes to (SQLite: the write lock; PostgreSQL:
    the ticket-number table) until one statement of ours has given up waiting for it, a
    fraction of a second later; then it lets go, as a long import or a backup would."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        holder: sqlite3.Connection | psycopg.Connection = sqlite3.connect(
            connection.settings_dict["NAME"], isolation_level=None
        )
        holder.execute("BEGIN IMMEDIATE")
        give_up = "PRAGMA busy_timeout = 200"
    else:
        holder = psycopg.connect(**connection.get_connection_params())
        holder.execute(f"LOCK TABLE {TicketSequence._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        give_up = "SET lock_timeout = '200ms'"
    with connection.cursor() as cursor:
        cursor.execute(give_up)
    gave_up = []

    def let_go_once_one_gives_up(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except OperationalError:
            if not gave_up:
                gave_up.append(sql)
                holder.rollback()
            raise

    try:
        with connection.execute_wrapper(let_go_once_one_gives_up):
            yield
    finally:
        holder.close()
        connection.close()  # the next statement opens one with the usual timeouts
    assert gave_up, "nothing waited for the lock"


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_while_processing_is_retried_by_the_worker_when_due(main_user):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a file or server database")
    TicketSequence.objects.get_or_create(prefix="AB")  # numbering updates its row
    row, _ = inbound.store_raw(make().as_bytes(), via=InboundMessage.Via.PIPE)
    before = timezone.now()
    with database_locked_until_a_writer_gives_up():
        row = inbound.process(row.pk)
    assert row.status == Status.FAILED and row.will_retry and row.failure_count == 1
    assert (
        before + timedelta(minutes=1)
        <= row.next_attempt_at
        <= timezone.now() + timedelta(minutes=1)
    )
    assert inbound.describe(row).startswith("held retry-later (stored; processed again")
    assert inbound.retry_due() == 0  # its minute has not passed: left alone
    InboundMessage.objects.filter(pk=row.pk).update(next_attempt_at=before)  # now it has
    [job] = [s.name for s in SCHEDULES if s.function == "tiketti.mail.inbound.retry_due"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_job(job)  # what the worker runs every minute
    row.refresh_from_db()
    assert row.status == Status.PROCESSED and row.ticket is not None
    assert row.next_attempt_at is None and row.error == ""
    assert Ticket.objects.count() == 1


def test_a_failure_that_is_not_the_databases_waits_for_an_admin(main_user, monkeypatch):
    def broken(request, batch=None):
        raise RuntimeError("intake is broken")

    monkeypatch.setattr(inbound, "submit_request", broken)
    row, _ = inbound.store_raw(make().as_bytes(), via=InboundMessage.Via.PIPE)
    row = inbound.process(row.pk)
    assert row.status == Status.FAILED and not row.will_retry and row.next_attempt_at is None
    assert inbound.retry_due() == 0  # never by itself
    monkeypatch.undo()
    assert inbound.retry_failed() == 1  # `tiketti mail retry`, after the fix
    row.refresh_from_db()
    assert row.status == Status.PROCESSED


def test_the_received_mail_page_says_which_failures_retry_by_themselves(client, agent):
    soon = timezone.now() + timedelta(minutes=4)
    retrying = InboundMessage.objects.create(
        raw=b"x", sha256="1" * 64, via="pipe", sender="a@aurora.example", status=Status.FAILED,
        reason="processing-failed", next_attempt_at=soon, failure_count=3,
    )  # fmt: skip
    InboundMessage.objects.create(
        raw=b"y", sha256="2" * 64, via="pipe", sender="b@aurora.example", status=Status.FAILED,
        reason="processing-failed",
    )  # fmt: skip
    client.force_login(agent)  # Finnish
    page = client.get(reverse("desk:mail-queue")).content.decode()
    assert "yritetään uudelleen" in page
    assert "epäonnistui: vaatii ylläpitäjän toimia" in page
    detail = client.get(reverse("desk:mail-detail", args=[retrying.pk])).content.decode()
    assert "yritetään uudelleen" in detail
