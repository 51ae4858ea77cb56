"""Outgoing mail delivered to a real SMTP server on loopback, on SQLite and on PostgreSQL.
Target: 400 mails/s on both with one worker.

Each run uses a fresh database, in child processes (`python -m bench.bench_outbound --seed|
--measure LABEL`): the seed migrates, files tickets and stores BENCH_OUTBOUND_MAILS (default
1,000) acknowledgements with `send_email` in one transaction, exactly as the product queues
them; the measurement runs one worker (`tiketti worker --batch`'s loop, in the process) until
the queue is empty. The SMTP server (aiosmtpd) runs in this, the parent, process, so it does
not share the worker's interpreter; it counts the Message-IDs it receives, and a run in
which any mail is missing or arrives twice says so. PostgreSQL: a throwaway database on the
server named by BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
Each database runs BENCH_OUTBOUND_RUNS times (default 3); the median is the figure.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
TOTAL = int(os.environ.get("BENCH_OUTBOUND_MAILS", "1000"))
RUNS = int(os.environ.get("BENCH_OUTBOUND_RUNS", "3"))
TARGET_PER_SECOND = 400
TICKETS = 50
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([^>]+)>", re.IGNORECASE | re.MULTILINE)


class Sink:
    """What the SMTP server received: Message-IDs, counted."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        # Only the header is read (as an MTA would): a full parse here would take the
        # worker's share of the two cores and measure this server, not Tiketti.
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        self.ids[found.group(1).decode() if found else "(none)"] += 1
        return "250 Message accepted"


def run() -> None:
    from aiosmtpd.controller import Controller

    from .bench_intake import _postgres, _reference_loop_seconds, _safe

    print(
        f"   host: a fixed pure-Python loop takes {_reference_loop_seconds() * 1000:.0f} ms "
        "here (lower is faster; every figure below scales with it)",
        flush=True,
    )
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        rates = []
        for _ in range(max(1, RUNS)):
            with tempfile.TemporaryDirectory(prefix="tiketti-bench-") as data_dir:
                rates.append(_child("sqlite", {"TIKETTI_DATA_DIR": data_dir, **smtp}, sink))
        _summary("sqlite", rates)
        server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
        rates = []
        for index in range(max(1, RUNS)):
            database = f"tiketti_bench_outbound_{os.getpid()}_{index}"
            if not _postgres(server, f"CREATE DATABASE {database}"):
                print(f"   postgresql: cannot create a database at {_safe(server)}")
                return
            try:
                url = urlunsplit(urlsplit(server)._replace(path=f"/{database}"))
                with tempfile.TemporaryDirectory(prefix="tiketti-bench-") as data_dir:
                    env = {"DATABASE_URL": url, "TIKETTI_DATA_DIR": data_dir, **smtp}
                    rates.append(_child("postgresql", env, sink))
            finally:
                _postgres(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        _summary("postgresql", rates)
    finally:
        controller.stop()


def _summary(label: str, rates: list[float]) -> None:
    median = statistics.median(rates)
    listed = ", ".join(f"{rate:,.0f}" for rate in rates)
    verdict = "met" if median >= TARGET_PER_SECOND else "not met"
    print(
        f"   {label}: median {median:,.0f} mails/s (runs {listed}); "
        f"target {TARGET_PER_SECOND}/s {verdict}",
        flush=True,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _child(label: str, env: dict[str, str], sink: Sink) -> float:
    """Seed in one process, measure in a fresh one; check what the server received."""
    child_env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG")
    }
    child_env.update(
        DJANGO_SETTINGS_MODULE="tiketti.settings",
        SECRET_KEY=secrets.token_urlsafe(50),  # DEBUG off, as in production
        TASKS_BACKEND="tiketti.operations.task_backend.DatabaseBackend",
        LOG_LEVEL="WARNING",
        **env,
    )
    command = [sys.executable, "-m", "bench.bench_outbound", "--seed", label]
    subprocess.run(command, cwd=ROOT, env=child_env, check=True, capture_output=True)
    sink.ids.clear()
    command[3] = "--measure"
    measured = subprocess.run(command, cwd=ROOT, env=child_env, check=False, capture_output=True)
    if measured.returncode != 0:  # the worker's log (a line per task) only when it failed
        sys.stderr.write(measured.stderr.decode(errors="replace"))
        measured.check_returncode()
    report = measured.stdout.decode()
    twice = sum(1 for count in sink.ids.values() if count > 1)
    print(
        report.rstrip("\n")
        + f"; the server received {len(sink.ids):,} different Message-IDs, {twice} twice",
        flush=True,
    )
    return float(re.findall(r"= ([\d,]+) mails/s", report)[0].replace(",", ""))


# --- the child --------------------------------------------------------------------------


def seed() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory
    from tiketti.mail.services import send_email
    from tiketti.tickets.intake import IntakeRequest, submit_request

    call_command("migrate", verbosity=0, interactive=False)
    aurora = OrganisationFactory(name="Aurora Oy", domain="aurora.example")
    people = [
        ContactFactory(organisation=aurora, main=True, email=f"p{n}@aurora.example", language=lang)
        for n, lang in enumerate(("fi", "pl", "en") * 4)
    ]
    tickets = []
    for n in range(TICKETS):
        request = IntakeRequest(
            channel="portal",
            requester=people[n % len(people)],
            subject=f"Kassa {n} ei toimi",
            body_text=f"Maksu {n} antaa virheen.\n\nTerveisin",
        )
        tickets.append(submit_request(request).ticket)
    DBTaskResult.objects.all().delete()  # the filing's own notifications: not measured
    from tiketti.mail.models import OutgoingEmail

    OutgoingEmail.objects.all().delete()
    with transaction.atomic():
        for n in range(TOTAL):
            ticket = tickets[n % len(tickets)]
            send_email(
                template="acknowledgement",
                recipient=ticket.requester,
                context={"message": ticket.messages.first()},
                ticket=ticket,
                is_automatic=True,
            )


def measure(label: str) -> None:
    import django

    django.setup()
    from tiketti.mail.models import OutgoingEmail
    from tiketti.operations.worker import task_worker

    started = time.perf_counter()
    task_worker(["*"], batch=True).run()
    elapsed = time.perf_counter() - started
    sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count()
    left = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).count()
    print(
        f"   {label}: {sent:,} mails delivered in {elapsed:.2f} s = {sent / elapsed:,.0f} "
        f"mails/s, {left} not sent"
    )


if __name__ == "__main__":
    if sys.argv[1] == "--seed":
        seed()
    else:
        measure(sys.argv[2])
