"""Outgoing mail in batches: one SMTP connection for many mails, a refusal fails only its
mail, a dropped connection is opened again, and two real workers on PostgreSQL send each
mail exactly once. Against real aiosmtpd servers on loopback."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import SmtpSink
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.settings import DATABASE_TASKS

from tiketti.mail import delivery, services
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets.intake import IntakeRequest, submit_request

from .servers import free_port
from .test_command_faults import database_url

Status = OutgoingEmail.Status
REFUSED = "nobody@aurora.example"
DROPPED = "dropped@aurora.example"


class FaultySink(SmtpSink):
    """An SMTP server that counts its connections, refuses REFUSED with 550 and closes the
    connection the first time DROPPED is named as a recipient."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self.connections = 0
        self.dropped = 0
        self.at_drop: Callable[[], None] = lambda: None
        self.controller: Controller | None = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == REFUSED:
            return "550 5.1.1 <nobody@aurora.example>: no such user"
        if address == DROPPED and not self.dropped:
            self.dropped += 1
            server.transport.close()  # gone mid-conversation, as a crashed server is
            self.at_drop()
            return "421 closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def faulty_smtp(settings):
    sink = FaultySink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    sink.controller = controller
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": sink.host, "port": sink.port, "timeout": 10},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()


def store(addresses, ticket=None):
    """Outgoing mails stored and not sent: their delivery tasks are left queued."""
    with transaction.atomic():
        return [
            services.send_email(
                template="password-reset",
                recipient=services.Stranger(email=address, language="fi"),
                context={"reset_url": "https://tiketti.example/reset"},
                ticket=ticket,
                is_automatic=True,
            )
            for address in addresses
        ]


def received_ids(sink):
    return Counter(str(message["Message-ID"]).strip("<>") for message in sink.messages)


def test_a_batch_goes_over_one_connection(faulty_smtp, db):
    mails = store([f"asiakas{n}@aurora.example" for n in range(25)])

    assert delivery.deliver_due() == 25

    assert faulty_smtp.connections == 1
    assert received_ids(faulty_smtp) == Counter(mail.message_id for mail in mails)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.parametrize("count", [3, 40])
def test_claiming_rendering_and_marking_a_batch_take_the_same_queries_for_any_size(
    smtp_server, main_user, count
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Hei", body_text="Apua")
    ).ticket
    OutgoingEmail.objects.all().delete()
    store([f"asiakas{n}@aurora.example" for n in range(count)], ticket=ticket)

    with CaptureQueriesContext(connection) as queries:
        assert delivery.deliver_due() == count

    # The claim (savepoint, select, update, the mails with their tickets, release), every
    # outcome in one UPDATE, and the look for a next batch (savepoint, select, release).
    assert len(queries) == 9, [query["sql"][:60] for query in queries]
    assert len(smtp_server.messages) == count
    assert all(message["X-Tiketti-Ticket"] == ticket.number for message in smtp_server.messages)


def test_a_refused_recipient_and_a_dropped_connection_fail_only_their_own_mails(faulty_smtp, db):
    addresses = [f"asiakas{n}@aurora.example" for n in range(10)]
    addresses[3], addresses[6] = REFUSED, DROPPED
    mails = store(addresses)

    assert delivery.deliver_due() == 10

    by_address = {mail.to: mail for mail in OutgoingEmail.objects.all()}
    others = [mail.message_id for mail in mails if mail.to not in (REFUSED, DROPPED)]
    assert received_ids(faulty_smtp) == Counter(others)  # each once
    assert faulty_smtp.connections == 2  # opened again after the drop
    refused, dropped = by_address[REFUSED], by_address[DROPPED]
    assert (refused.status, refused.attempt_count) == (Status.QUEUED, 1)
    assert refused.last_error == (
        "SMTPRecipientsRefused: nobody@aurora.example: "
        "550 5.1.1 <nobody@aurora.example>: no such user"
    )
    assert (dropped.status, dropped.attempt_count) == (Status.QUEUED, 1)
    assert dropped.last_error.startswith("SMTPServerDisconnected: ")
    assert refused.next_attempt_at > timezone.now() + timedelta(seconds=50)  # one minute

    # A minute later: the dropped one goes; the refused one is refused again.
    OutgoingEmail.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())
    assert delivery.deliver_due() == 2
    assert received_ids(faulty_smtp) == Counter([*others, dropped.message_id])
    refused.refresh_from_db()
    assert (refused.status, refused.attempt_count) == (Status.QUEUED, 2)


def test_refused_at_the_retry_limit_fails_for_good_with_the_reply(faulty_smtp, db, settings):
    settings.TIKETTI_MAIL_RETRY_LIMIT = 1
    store([REFUSED, "asiakas@aurora.example"])
    delivery.deliver_due()
    refused = OutgoingEmail.objects.get(to=REFUSED)
    assert refused.status == Status.FAILED
    assert "550 5.1.1" in refused.last_error
    assert OutgoingEmail.objects.get(to="asiakas@aurora.example").status == Status.SENT


def test_when_the_server_cannot_be_reached_again_the_untried_mails_wait_uncounted(faulty_smtp, db):
    faulty_smtp.at_drop = faulty_smtp.controller.server.close  # and listens no more
    store(["asiakas0@aurora.example", DROPPED, "asiakas2@aurora.example", "asiakas3@x.example"])

    assert delivery.deliver_due() == 4

    rows = {mail.to: mail for mail in OutgoingEmail.objects.all()}
    assert rows["asiakas0@aurora.example"].status == Status.SENT
    dropped = rows[DROPPED]
    assert (dropped.status, dropped.attempt_count) == (Status.QUEUED, 1)  # its attempt counts
    for address in ("asiakas2@aurora.example", "asiakas3@x.example"):
        untried = rows[address]
        assert (untried.status, untried.attempt_count) == (Status.QUEUED, 0), address
        assert untried.claimed_at is not None  # when it was last taken
        assert untried.next_attempt_at > timezone.now() + timedelta(seconds=50)
        assert untried.last_error.startswith("SMTPServerDisconnected: ")
    assert len(faulty_smtp.messages) == 1


def test_a_batch_past_half_its_claim_time_sends_no_more_and_the_rest_go_again(
    faulty_smtp, db, settings
):
    settings.TIKETTI_MAIL_CLAIM_SECONDS = 0  # every batch is past its time after one mail
    mails = store([f"asiakas{n}@aurora.example" for n in range(3)])

    assert delivery.deliver_due() == 3 + 2 + 1  # taken again, a fresh claim each time

    assert received_ids(faulty_smtp) == Counter(mail.message_id for mail in mails)
    counts = set(OutgoingEmail.objects.values_list("status", "attempt_count", "last_error"))
    assert counts == {(Status.SENT, 1, "")}  # a mail handed back did not count an attempt


def test_a_delivery_task_stops_at_its_share_and_has_queued_the_next(
    smtp_server, db, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(delivery, "BATCH", 2)
    monkeypatch.setattr(delivery, "PER_TASK", 4)
    mails = store([f"asiakas{n}@aurora.example" for n in range(5)])
    from tiketti.mail.tasks import deliver_email

    DBTaskResult.objects.all().delete()  # what storing queued: this test runs the task itself
    deliver_email.call(mails[0].pk)

    assert len(smtp_server.messages) == 4
    assert OutgoingEmail.objects.filter(status=Status.QUEUED).count() == 1
    [waiting] = DBTaskResult.objects.ready()  # a full batch asked for the next task
    assert waiting.task_path == "tiketti.mail.tasks.deliver_email"


@pytest.mark.postgres
def test_two_worker_processes_on_postgresql_send_each_mail_once(transactional_db, settings):
    """Two real `tiketti worker` processes drain one queue of 300 mails into a real SMTP
    server that takes 20 ms a mail (so both are at work at once): each mail arrives
    exactly once, none is left, and both workers sent."""
    if connection.vendor != "postgresql":
        pytest.skip("rows locked with SKIP LOCKED: PostgreSQL's (SQLite serialises claims)")
    settings.TASKS = DATABASE_TASKS
    sink = SlowSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        mails = store([f"asiakas{n}@aurora.example" for n in range(300)])
        from tiketti.mail.tasks import deliver_email

        for mail in mails[:8]:  # more tasks waiting than workers: both start at once
            deliver_email.enqueue(mail.pk)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tiketti.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": sink.host,
            "EMAIL_PORT": str(sink.port),
            "TASKS_BACKEND": "tiketti.operations.task_backend.DatabaseBackend",
        }
        command = [str(Path(sys.executable).parent / "tiketti"), "worker", "--batch"]
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=300) for worker in workers]
    finally:
        controller.stop()
    for worker, (_, errors) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, errors.decode()
        assert b"Traceback" not in errors, errors.decode()
    assert received_ids(sink) == Counter(mail.message_id for mail in mails)  # each once
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.SENT}
    tasks = DBTaskResult.objects.filter(task_path="tiketti.mail.tasks.deliver_email")
    assert set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert (
        len({worker for ids in tasks.values_list("worker_ids", flat=True) for worker in ids}) == 2
    )


class SlowSink(SmtpSink):
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)
