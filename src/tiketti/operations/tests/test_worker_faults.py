"""Faults, with real processes: `tiketti worker` runs as a subprocess against the test
database and delivers to a real SMTP server on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from tests.settings import DATABASE_TASKS

from tiketti.mail.models import OutgoingEmail
from tiketti.mail.tests.servers import free_port
from tiketti.mail.tests.test_lmtp import url_of_the_test_database
from tiketti.operations.models import WorkerHeartbeat
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_SECONDS = 30  # the figure: a lock this long used to end the worker


class SmtpServer:
    """A real SMTP server on 127.0.0.1. With `stall_first`, it holds the first DATA
    unanswered until `release` is set, then refuses it (its sender is gone by then):
    only answered messages count as delivered."""

    def __init__(self, *, stall_first: bool = False) -> None:
        self.port = free_port()
        self.delivered: list[EmailMessage] = []
        self.stall_first = stall_first
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.stall_first and not self.stalled.is_set():
            self.stalled.set()
            for _ in range(1200):  # at most a minute
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
            return "451 4.3.0 Not accepted"
        self.delivered.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.controller.start()
    yield server
    server.release.set()
    server.controller.stop()


@pytest.fixture
def stalling_smtp():
    server = SmtpServer(stall_first=True)
    server.controller.start()
    yield server
    server.release.set()
    server.controller.stop()


class WorkerProcess:
    def __init__(self, tmp_path: Path, smtp: SmtpServer, *args: str, **env: str) -> None:
        self.log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
        script = Path(sys.executable).parent / "tiketti"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tiketti.settings",
            "DEBUG": "1",
            "TIKETTI_DATA_DIR": str(tmp_path),
            "DATABASE_URL": url_of_the_test_database(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "60",
            **env,
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(script), "worker", "--interval", "0.2", *args],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.is_running():
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def worker_process(tmp_path, smtp, *args, **env) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(tmp_path, smtp, *args, **env)
    try:
        yield worker
    finally:
        worker.stop()


def wait_for(condition: Callable[[], bool], worker: WorkerProcess, timeout: float) -> None:
    """Until `condition()` holds; fails with the worker's log after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting after {timeout} s; worker log:\n{worker.log}")
        time.sleep(0.1)


def file_requests(requester, count: int) -> None:
    """Requests whose acknowledgements wait for a worker, as in production: their
    tasks are stored in the database."""
    with override_settings(TASKS=DATABASE_TASKS):
        for number in range(count):
            submit_request(
                IntakeRequest(
                    channel="portal",
                    requester=requester,
                    subject=f"Asia {number}",
                    body_text="Apua",
                )
            )


def test_the_worker_outlasts_a_30_second_database_lock_and_then_delivers_each_mail_once(
    main_user, smtp, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("an exclusive lock on the SQLite file")
    file_requests(main_user, count=2)
    # Another process's exclusive transaction on the file (WAL: readers go on, writers wait).
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=10)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        with worker_process(tmp_path, smtp) as worker:
            time.sleep(LOCK_SECONDS)  # the fault itself: the file stays locked this long
            assert worker.is_running(), worker.log
            locker.execute("COMMIT")

            wait_for(lambda: len(smtp.delivered) >= 2, worker, timeout=90)
            sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT)
            wait_for(lambda: sent.count() == 2, worker, timeout=10)
            assert worker.is_running(), worker.log
            log = worker.log
    finally:
        locker.close()

    assert "database is locked" in log and "retrying in" in log
    assert "Traceback" not in log
    received = sorted(message["Message-ID"] for message in smtp.delivered)
    stored = sorted(f"<{email.message_id}>" for email in OutgoingEmail.objects.all())
    assert received == stored and len(stored) == 2  # each mail once


def test_a_worker_killed_mid_send_sends_the_mail_again_once_with_its_message_id(
    main_user, stalling_smtp, tmp_path
):
    file_requests(main_user, count=1)
    with worker_process(tmp_path, stalling_smtp, "--no-scheduler") as first:
        wait_for(stalling_smtp.stalled.is_set, first, timeout=30)
        first.kill()  # mid-send: the server has the DATA and has not answered
    stalling_smtp.release.set()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENDING

    claim_seconds = 1

    # The claim must be older than its expiry before a worker finds it due again.
    def expired() -> bool:
        return (timezone.now() - email.claimed_at).total_seconds() > claim_seconds

    wait_for(expired, first, timeout=10)
    with worker_process(
        tmp_path, stalling_smtp, TIKETTI_MAIL_CLAIM_SECONDS=str(claim_seconds)
    ) as second:
        wait_for(lambda: len(stalling_smtp.delivered) >= 1, second, timeout=30)
        wait_for(
            lambda: OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT, second, 10
        )
        log = second.log

    [received] = stalling_smtp.delivered
    assert received["Message-ID"] == f"<{email.message_id}>"
    assert OutgoingEmail.objects.get().attempt_count == 2
    ticket = Ticket.objects.get()
    [event] = ticket.events.filter(kind=TicketEvent.Kind.MAIL_RETRIED)
    assert event.new_value == main_user.email
    assert "interrupted: sending it again" in log and "Traceback" not in log
    assert WorkerHeartbeat.objects.count() == 2  # both workers said they ran


def test_the_worker_outlasts_its_database_connections_being_cut(main_user, smtp, tmp_path):
    """PostgreSQL ends every connection of the worker (a restart, a failover): the
    worker reconnects and goes on."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL ends the connections")
    with worker_process(tmp_path, smtp) as worker:
        # Its task loop has run the periodic jobs: it holds its connections now.
        wait_for(lambda: "Periodic job fetch-imap-mail done" in worker.log, worker, timeout=30)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        file_requests(main_user, count=1)
        wait_for(lambda: len(smtp.delivered) == 1, worker, timeout=60)
        assert worker.is_running(), worker.log
        log = worker.log
    assert "Database error" in log and "retrying in" in log and "Traceback" not in log
    [email] = OutgoingEmail.objects.all()
    assert smtp.delivered[0]["Message-ID"] == f"<{email.message_id}>"
