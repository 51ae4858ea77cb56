"""The fault suite: real `tiketti` processes against a real database under contention and
outage. Nothing lost, nothing doubled, nothing stuck, and never a traceback."""

from __future__ import annotations

import os
import re
import smtplib
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from email import policy
from pathlib import Path

import pytest
from django.db import connection
from tests.private_postgres import private_cluster

from tiketti.mail.models import InboundMessage
from tiketti.tickets.models import Ticket

from .servers import free_port
from .test_command_faults import database_url
from .test_inbound import make, tiketti

Status = InboundMessage.Status
NUMBER = re.compile(rf"{re.escape(os.environ.get('TIKETTI_TICKET_PREFIX', 'AB'))}-\d+")


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_pipe_deliveries_of_48_messages_make_48_tickets(main_user):
    """As a mail server delivers: one `mail ingest` process per message, eight at a time,
    on SQLite. Writers queue for the lock (IMMEDIATE, busy timeout): every process stores
    and processes its message, says which ticket it became, and exits 0. Six rounds of eight
    keep the lock contended all the way (each process costs about a second of CPU to start)."""
    if connection.vendor != "sqlite":
        pytest.skip("contention between processes on one SQLite file; PostgreSQL has row locks")
    env = {"DATABASE_URL": database_url()}
    messages = [
        make(
            subject=f"Kassa {n} ei toimi", body=f"Maksu {n} antaa virheen.", Message_ID=f"<p{n}@x>"
        )
        for n in range(48)
    ]

    def deliver(message):
        return tiketti("mail", "ingest", stdin=message.as_bytes(), env=env)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(deliver, messages))
    problems = [r for r in results if r.returncode != 0 or b"Traceback" in r.stderr]
    assert not problems, problems[0]
    lines = [r.stdout.decode().splitlines() for r in results]
    assert all(len(printed) == 1 and NUMBER.fullmatch(printed[0]) for printed in lines), lines
    assert len({printed[0] for printed in lines}) == 48  # each its own ticket
    statuses = list(InboundMessage.objects.values_list("status", flat=True))
    assert statuses.count(Status.PROCESSED) == 48 and len(statuses) == 48
    assert Ticket.objects.count() == 48


SEED = """
from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory
from tiketti.mail.models import Mailbox
aurora = OrganisationFactory(name="Aurora Oy", domain="aurora.example")
ContactFactory(organisation=aurora, main=True, email="maija@aurora.example", language="fi")
Mailbox.objects.create(name="support", address="support@tiketti.example")
"""


def run(*args, env, stdin=b"", timeout=300):
    """A `tiketti` command against the private cluster (migrations there take a while)."""
    script = Path(sys.executable).parent / "tiketti"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiketti.settings", "DEBUG": "1", **env}
    return subprocess.run(
        [str(script), *args], input=stdin, capture_output=True, env=full_env, timeout=timeout,
        check=False,
    )  # fmt: skip


def lmtp_delivery(port, raw):
    """The reply codes an MTA gets for RCPT and, if accepted, DATA."""
    with smtplib.LMTP("127.0.0.1", port) as client:
        client.ehlo()
        client.mail("maija@aurora.example")
        code, _ = client.rcpt("support@tiketti.example")
        if code != 250:
            return [code]
        return [code, client.data(raw)[0]]


def listening(port, process):
    """Wait (a minute at most: the machine may be busy) until `process` listens."""
    for _ in range(600):
        assert process.poll() is None, process.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def waiting_on_a_lock(cluster, database) -> bool:
    with cluster.connect(database) as observer:
        row = observer.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()
    return bool(row and row[0])


def test_postgresql_stopped_during_intake_loses_nothing_and_all_is_processed_after(tmp_path):
    """The server goes away: under a message being processed (stored already: exit 0, the
    worker takes it), before a pipe delivery (exit 75: the mail server keeps it) and an
    LMTP one (451). Once it is back, the mail server's retries and the worker leave every
    message processed, each once."""
    with private_cluster() as cluster:
        env = {"DATABASE_URL": cluster.create_database("tiketti"), "MEDIA_ROOT": str(tmp_path)}
        for command in (["migrate", "-v", "0"], ["shell", "-c", SEED]):
            done = run(*command, env=env)
            assert done.returncode == 0, done.stderr
        messages = {
            name: make(subject=f"{name}: kassa ei toimi", body=f"Viesti {name}.",
                       Message_ID=f"<{name}@aurora.example>", to="support@tiketti.example")
            for name in ("before", "lmtp-before", "around", "pipe-during", "lmtp-during")
        }  # fmt: skip
        raw = {name: message.as_bytes(policy=policy.SMTP) for name, message in messages.items()}
        outputs = []

        first = run("mail", "ingest", stdin=raw["before"], env=env)
        outputs.append(first)
        assert first.returncode == 0 and NUMBER.fullmatch(first.stdout.decode().strip())

        serve_port = free_port()
        serve = subprocess.Popen(
            [str(Path(sys.executable).parent / "tiketti"), "mail", "serve", "--port",
             str(serve_port)],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tiketti.settings", "DEBUG": "1", **env},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            listening(serve_port, serve)
            assert lmtp_delivery(serve_port, raw["lmtp-before"]) == [250, 250]  # stored, queued

            # A delivery whose processing waits on a lock when the server goes down: its
            # raw copy is committed, its processing cannot even be recorded as failed.
            holder = cluster.connect("tiketti")
            holder.execute("BEGIN")
            holder.execute("LOCK TABLE tickets_ticketsequence IN ACCESS EXCLUSIVE MODE")
            (tmp_path / "around.eml").write_bytes(raw["around"])
            around = subprocess.Popen(
                [str(Path(sys.executable).parent / "tiketti"), "mail", "ingest",
                 str(tmp_path / "around.eml")],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "tiketti.settings", "DEBUG": "1",
                     **env},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            for _ in range(600):  # until it waits for the lock (bounded: a minute at most)
                if waiting_on_a_lock(cluster, "tiketti") or around.poll() is not None:
                    break
                time.sleep(0.1)
            assert waiting_on_a_lock(cluster, "tiketti"), around.communicate(timeout=5)
            cluster.stop()
            holder.close()
            out, err = around.communicate(timeout=60)
            outputs.append(subprocess.CompletedProcess([], around.returncode, out, err))
            assert around.returncode == 0, err  # stored: the worker processes it
            [line] = out.decode().splitlines()
            assert line.startswith("held queued (stored; the worker processes it"), line

            # While the server is down: nothing can be stored; the mail server keeps it.
            during = run("mail", "ingest", stdin=raw["pipe-during"], env=env, timeout=60)
            outputs.append(during)
            assert during.returncode == 75, during.stderr
            [line] = during.stderr.decode().splitlines()
            assert line.startswith("tiketti: message not stored (OperationalError: ")
            assert lmtp_delivery(serve_port, raw["lmtp-during"])[-1] == 451  # RCPT or DATA

            cluster.start()
            # The mail server tries again: the pipe, then LMTP.
            again = run("mail", "ingest", stdin=raw["pipe-during"], env=env)
            outputs.append(again)
            assert again.returncode == 0 and NUMBER.fullmatch(again.stdout.decode().strip())
            assert lmtp_delivery(serve_port, raw["lmtp-during"]) == [250, 250]
        finally:
            serve.terminate()
            serve.communicate(timeout=30)  # its log is the operator's, not the mail server's

        worker = run("worker", "--batch", env=env)  # what the queued tasks do
        assert worker.returncode == 0, worker.stderr
        with cluster.connect("tiketti") as check:
            rows = check.execute(
                "SELECT message_id, status, ticket_id FROM mail_inboundmessage ORDER BY id"
            ).fetchall()
            tickets = check.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
        assert sorted(row[0] for row in rows) == sorted(f"{n}@aurora.example" for n in messages)
        assert {row[1] for row in rows} == {"processed"}, rows
        assert len({row[2] for row in rows}) == 5 and tickets == 5
        assert all(b"Traceback" not in result.stderr for result in outputs)
