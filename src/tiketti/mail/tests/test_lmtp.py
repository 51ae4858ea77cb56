"""`tiketti mail serve`: a real LMTP session over loopback, aiosmtpd server, smtplib client."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from tests.settings import DATABASE_TASKS

from tiketti.mail import lmtp, storing
from tiketti.mail.models import InboundMessage, Mailbox
from tiketti.tickets.models import Ticket

from .servers import free_port, wait_for_port

Status = InboundMessage.Status
pytestmark = pytest.mark.django_db(transaction=True)  # the listener has its own connection


@pytest.fixture
def support(team):
    return Mailbox.objects.create(name="support", address="support@tiketti.example", team=team)


@pytest.fixture
def billing():
    return Mailbox.objects.create(name="billing", address="laskutus@tiketti.example")


def start_listener(**options):
    controller = lmtp.IntakeController(host="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def listener(support):
    controller = start_listener()
    yield controller
    controller.stop()


def make(subject="Kassa ei toimi", to="support@tiketti.example", size=0):
    message = EmailMessage()
    message["From"] = "Maija Virtanen <maija@aurora.example>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash((subject, to)))}@aurora.example>"
    message.set_content("Maksu-nappi antaa virheen 500.\n" + ("x" * 69 + "\n") * (size // 70))
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire


def session(controller, smtp=False):
    client = (smtplib.SMTP if smtp else smtplib.LMTP)(controller.hostname, controller.port)
    client.ehlo()  # LHLO for LMTP
    return client


def deliver(client, recipients, raw):
    """MAIL, RCPT… and DATA by hand: LMTP answers DATA once per recipient, and smtplib's
    sendmail() reads only the first answer."""
    assert client.mail("maija@aurora.example")[0] == 250
    for recipient in recipients:
        assert client.rcpt(recipient)[0] == 250
    replies = [client.data(raw)]
    replies += [client.getreply() for _ in recipients[1:]]
    return [code for code, _ in replies]


def test_delivered_message_is_stored_and_becomes_a_ticket(listener, support, main_user):
    with session(listener) as client:
        refused = client.sendmail("maija@aurora.example", ["support@tiketti.example"], make())

    assert refused == {}
    row = InboundMessage.objects.get()
    assert (row.via, row.mailbox.name, row.envelope_recipient) == (
        "lmtp",
        "support",
        "support@tiketti.example",
    )
    assert row.status == Status.PROCESSED and row.reason == "created"
    ticket = Ticket.objects.get()
    assert ticket.requester == main_user and ticket.team == support.team  # routed by mailbox
    assert ticket.subject == "Kassa ei toimi" and row.ticket == ticket


def test_several_recipients_store_one_message_with_a_reply_each(listener, billing, main_user):
    with session(listener) as client:
        codes = deliver(client, ["support@tiketti.example", "laskutus@tiketti.example"], make())
        assert client.noop()[0] == 250  # the session is still in step after both replies

    assert codes == [250, 250]
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1


def test_plus_address_counts_as_its_mailbox(listener, main_user):
    with session(listener) as client:
        assert deliver(client, ["support+ab-7@tiketti.example"], make()) == [250]

    row = InboundMessage.objects.get()
    assert (
        row.mailbox.name == "support" and row.envelope_recipient == "support+ab-7@tiketti.example"
    )


def test_mailbox_address_matches_in_any_case(listener, support, main_user):
    Mailbox.objects.filter(pk=support.pk).update(address="Support@Tiketti.example")
    with session(listener) as client:
        assert deliver(client, ["SUPPORT@tiketti.EXAMPLE"], make()) == [250]
    assert InboundMessage.objects.get().mailbox == support


def test_recipient_without_a_mailbox_is_refused(listener):
    with session(listener) as client:
        client.mail("maija@aurora.example")
        code, reply = client.rcpt("nobody@tiketti.example")

    assert code == 550 and b"5.1.1" in reply
    assert not InboundMessage.objects.exists()


def test_any_recipient_mode_accepts_unknown_addresses(support, main_user):
    controller = start_listener(any_recipient=True)
    try:
        with session(controller) as client:
            assert deliver(client, ["anything@tiketti.example"], make()) == [250]
    finally:
        controller.stop()
    row = InboundMessage.objects.get()
    assert row.mailbox is None and row.envelope_recipient == "anything@tiketti.example"


@override_settings(TASKS=DATABASE_TASKS)
def test_messages_arriving_together_share_one_commit(listener, billing, main_user, monkeypatch):
    """Mail servers deliver over several connections at once: what arrives while a commit
    is being synced is stored in the next one together, each under its own mailbox, and
    one task processes them together (the second group finds the first's task still
    waiting for a worker and leaves its messages to it)."""
    real = storing.store_deliveries
    groups = []

    def store(deliveries, *, via):
        if not groups:  # hold the first commit until every other message waits for its own
            deadline = time.monotonic() + 10
            while len(deliveries) + len(listener.intake._waiting) < 6:
                assert time.monotonic() < deadline
                time.sleep(0.01)
        groups.append(len(deliveries))
        return real(deliveries, via=via)

    monkeypatch.setattr(storing, "store_deliveries", store)
    to = ["support@tiketti.example", "laskutus@tiketti.example"] * 3
    clients = [session(listener) for _ in to]
    for client, recipient in zip(clients, to, strict=True):
        assert client.mail("maija@aurora.example")[0] == 250
        assert client.rcpt(recipient)[0] == 250
    raws = [make(subject=f"Asia {number}", to=recipient) for number, recipient in enumerate(to)]
    with ThreadPoolExecutor(len(clients)) as pool:
        replies = list(pool.map(lambda client, raw: client.data(raw)[0], clients, raws))
    for client in clients:
        client.quit()

    # Two commits: the first (one message, or two arriving at the same moment), then all
    # the others together; one task, queued for the first commit, for both.
    assert replies == [250] * 6 and len(groups) == 2 and sum(groups) == 6
    queued = DBTaskResult.objects.filter(queue_name="intake")
    assert [len(task.args_kwargs["args"][0]) for task in queued] == groups[:1]

    call_command("worker", "--batch", "--interval", "0")
    rows = InboundMessage.objects.order_by("subject")
    assert [(row.subject, row.mailbox.name, row.status) for row in rows] == [
        (f"Asia {number}", "support" if number % 2 == 0 else "billing", Status.PROCESSED)
        for number in range(6)
    ]


def test_a_message_that_cannot_be_stored_holds_back_no_other(listener, main_user, monkeypatch):
    """A group whose commit fails is stored message by message: only the message that
    cannot be stored gets 451 (and is retried by the mail server)."""
    real_store_new = storing._store_new
    holding = threading.Event()

    def store_new(arrivals, via):
        if not holding.is_set():  # hold the first commit until three more messages wait
            holding.set()
            deadline = time.monotonic() + 10
            while len(listener.intake._waiting) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
        if any(b"Rikki" in arrival.delivery.raw for arrival in arrivals):
            raise DatabaseError("disk I/O error")
        return real_store_new(arrivals, via)

    monkeypatch.setattr(storing, "_store_new", store_new)
    subjects = ["Ensin", "Toinen", "Rikki", "Kolmas"]
    clients = [session(listener) for _ in subjects]
    for client in clients:
        assert client.mail("maija@aurora.example")[0] == 250
        assert client.rcpt("support@tiketti.example")[0] == 250
    with ThreadPoolExecutor(1) as first_one:  # the held commit: its DATA goes first
        held = first_one.submit(clients[0].data, make(subject="Ensin"))
        assert holding.wait(10)
        with ThreadPoolExecutor(3) as pool:
            rest = list(
                pool.map(lambda c, s: c.data(make(subject=s))[0], clients[1:], subjects[1:])
            )
        replies = [held.result()[0], *rest]
    for client in clients:
        client.quit()

    assert replies == [250, 250, 451, 250]
    assert sorted(InboundMessage.objects.values_list("subject", flat=True)) == [
        "Ensin",
        "Kolmas",
        "Toinen",
    ]


def test_a_commit_group_stays_within_its_count_and_size(monkeypatch):
    monkeypatch.setattr(lmtp, "GROUP_SIZE", 3)
    monkeypatch.setattr(lmtp, "GROUP_BYTES", 10)
    handler = lmtp.IntakeHandler()
    handler._waiting = [(b"x" * size, [], None) for size in (4, 4, 4, 20, 1, 1, 1, 1)]
    groups = []
    while handler._waiting:
        groups.append([len(raw) for raw, _to, _stored in handler._next_group()])
    handler.close()
    assert groups == [[4, 4], [4], [20], [1, 1, 1], [1]]  # a big one alone, never left out


def test_storage_failure_answers_451_and_writes_nothing(listener, billing, main_user, monkeypatch):
    real = storing._store_new

    def disk_full(*args):
        real(*args)
        raise DatabaseError("database or disk is full")  # after the INSERT, inside its commit

    monkeypatch.setattr(storing, "_store_new", disk_full)
    with session(listener) as client:
        codes = deliver(client, ["support@tiketti.example", "laskutus@tiketti.example"], make())
        assert client.noop()[0] == 250
    monkeypatch.undo()

    assert codes == [451, 451]  # the mail server keeps the message and tries again
    assert not InboundMessage.objects.exists() and not Ticket.objects.exists()

    with session(listener) as client:  # the retry, once the disk has room again
        assert deliver(client, ["support@tiketti.example"], make()) == [250]
    assert InboundMessage.objects.get().status == Status.PROCESSED


def test_too_large_message_is_refused_once_per_recipient(support, billing):
    controller = start_listener(max_message_bytes=2000)
    try:
        with session(controller) as client:
            codes = deliver(
                client, ["support@tiketti.example", "laskutus@tiketti.example"], make(size=5000)
            )
            assert client.noop()[0] == 250
    finally:
        controller.stop()
    assert codes == [552, 552]
    assert not InboundMessage.objects.exists()


def test_a_size_announced_over_the_limit_is_refused_with_its_enhanced_code(support):
    controller = start_listener(max_message_bytes=2000)
    try:
        with session(controller) as client:
            code, text = client.mail("maija@aurora.example", ["SIZE=5000"])
            assert client.noop()[0] == 250  # the session goes on
    finally:
        controller.stop()
    assert (code, text.split()[0]) == (552, b"5.3.4")


def test_smtp_mode_answers_once(support, billing, main_user):
    controller = start_listener(smtp=True)
    try:
        with session(controller, smtp=True) as client:
            refused = client.sendmail(
                "maija@aurora.example",
                ["support@tiketti.example", "laskutus@tiketti.example"],
                make(),
            )
            assert client.noop()[0] == 250
    finally:
        controller.stop()
    assert refused == {}
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1


# --- the command, as the mail server sees it ----------------------------------------


def serve(*args, database_url):
    script = Path(sys.executable).parent / "tiketti"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tiketti.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
    }
    port = free_port()
    process = subprocess.Popen(
        [str(script), "mail", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, process)
    return process, port


def stop(process):
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    return process.returncode, out.decode(), err.decode()


def url_of_the_test_database():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def test_serve_command_stores_mail_until_sigterm(support):
    process, port = serve(database_url=url_of_the_test_database())
    try:
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo()
            assert deliver(client, ["support@tiketti.example"], make()) == [250]
    finally:
        code, out, err = stop(process)

    assert code == 0, err
    assert f"listening for LMTP on 127.0.0.1:{port}" in out and "stopped" in out
    # Stored, and queued for the worker (this process runs the production task backend).
    assert InboundMessage.objects.get().status == Status.STORED


def test_serve_command_answers_451_while_the_database_is_down():
    process, port = serve(database_url="postgres://nobody@127.0.0.1:1/missing")
    try:
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo()
            client.mail("maija@aurora.example")
            code, reply = client.rcpt("support@tiketti.example")
    finally:
        stop(process)
    assert code == 451 and reply.startswith(b"4.3.0")
