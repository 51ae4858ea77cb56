"""The inbound pipeline: stored first, processed once, threaded right, nothing lost."""

import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from tests.concurrency import at_once

from tiketti.accounts.models import User
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, Mailbox, OutgoingEmail
from tiketti.mail.redaction import redact_personal_data
from tiketti.tickets.models import Message, Ticket, TicketEvent

Status = InboundMessage.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make(
    sender="Maija Virtanen <maija@aurora.example>",
    subject="Kassa ei toimi",
    body="Maksu-nappi antaa virheen 500.",
    to="support@tiketti.localhost",
    **headers,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def ingest(message, **kwargs):
    """Store and process, running after-commit work (notifications) as production does."""
    raw = message if isinstance(message, bytes) else message.as_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE, **kwargs)
        return inbound.process(row.pk)


def test_new_mail_from_a_contact_becomes_a_ticket(main_user):
    row = ingest(make(Message_ID="<m1@aurora.example>"))
    assert row.status == Status.PROCESSED and row.reason == "created"
    ticket = row.ticket
    assert ticket.channel == Ticket.Channel.EMAIL and ticket.requester == main_user
    assert ticket.messages.get().body_text.startswith("Maksu-nappi antaa virheen 500.")
    assert inbound.describe(row) == ticket.number


@pytest.mark.django_db(transaction=True)
def test_the_raw_message_is_committed_to_disk_before_storing_returns(organisation):
    """SQLite syncs its log only at checkpoints (synchronous=NORMAL); the raw message's
    commit must survive a power cut too, so it runs with synchronous=FULL (2), and the
    connection goes back to its setting for everything after it."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL syncs every commit")
    connection.ensure_connection()
    levels = []

    def note_level(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO") and "mail_inboundmessage" in sql:
            levels.append(connection.connection.execute("PRAGMA synchronous").fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_level):
        inbound.store_raw(make().as_bytes(), via=InboundMessage.Via.PIPE)
        inbound.store_raw(make(Message_ID="<2@aurora.example>").as_bytes(), via="pipe")
        connection.close()  # a new connection: its level is read afresh
        inbound.store_raw(make(Message_ID="<3@aurora.example>").as_bytes(), via="pipe")
    assert levels == [2, 2, 2]
    assert connection.connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_a_batch_is_stored_in_one_commit_without_its_duplicates(main_user):
    """A mailbox poll or an import stores its batch at once: new messages are stored, and
    a copy of a stored message or of one earlier in the batch is not stored again."""
    stored = ingest(make(subject="Vanha", Message_ID="<old@aurora.example>"))
    resent = make(subject="Vanha", Message_ID="<old@aurora.example>")
    resent["Received"] = "from mx2.example"
    new = make(subject="Uusi", Message_ID="<new@aurora.example>").as_bytes()
    rows = inbound.store_many(
        [new, resent.as_bytes(), new, make(subject="Kolmas").as_bytes()],
        via=InboundMessage.Via.IMPORT,
    )
    assert [created for _row, created in rows] == [True, False, False, True]
    assert rows[1][0].pk == stored.pk and rows[2][0].pk == rows[0][0].pk
    assert InboundMessage.objects.count() == 3
    assert [inbound.process(row).status for row, _created in rows] == [Status.PROCESSED] * 4
    assert Ticket.objects.count() == 3


def test_a_batch_is_processed_in_order_and_one_failure_stops_nothing(main_user, monkeypatch):
    """`mail import` processes its batch in one transaction: a reply finds the ticket its
    request opened earlier in the batch, and a message that fails is recorded as failed
    while the rest of the batch is kept."""
    submit = inbound.submit_request

    def broken_for_one(request, *batch):
        if request.subject == "Rikki":
            raise RuntimeError("intake is broken for this one")
        return submit(request, *batch)

    monkeypatch.setattr(inbound, "submit_request", broken_for_one)
    request = make(subject="Kassa", Message_ID="<first@aurora.example>")
    reply = make(subject="Re: Kassa", Message_ID="<reply@aurora.example>")
    reply["In-Reply-To"] = "<first@aurora.example>"
    raws = [request.as_bytes(), make(subject="Rikki").as_bytes(), reply.as_bytes()]
    rows = [row for row, _ in inbound.store_many([*raws, raws[0]], via="import")]
    done = inbound.process_many(rows)
    processed, failed = Status.PROCESSED, Status.FAILED
    assert [row.status for row in done] == [processed, failed, processed, processed]
    assert "intake is broken for this one" in done[1].error
    assert done[2].reason == "appended" and done[2].ticket == done[0].ticket
    assert done[3].pk == done[0].pk  # the same message twice in a batch: processed once
    assert Ticket.objects.get().messages.count() == 2
    assert InboundMessage.objects.get(pk=done[1].pk).status == Status.FAILED


def stored_batches(*batches):
    for batch in batches:
        yield [row for row, _ in inbound.store_many([m.as_bytes() for m in batch], via="import")]


def test_an_import_parses_each_next_batch_in_a_helper_process(main_user, monkeypatch):
    """`mail import` acts on one batch while another process parses the next: only the
    first batch is parsed here, and each batch comes out as `process_many` makes it, in
    order (a reply in a later batch finds the ticket an earlier one opened)."""
    parsed_here = []
    parse = inbound.parse_email
    monkeypatch.setattr(inbound, "parse_email", lambda raw: parsed_here.append(raw) or parse(raw))
    request = make(subject="Kassa", Message_ID="<first@aurora.example>")
    reply = make(subject="Re: Kassa", Message_ID="<reply@aurora.example>")
    reply["In-Reply-To"] = "<first@aurora.example>"
    stranger = make(sender="nobody@nowhere.example", subject="Myyn teille")
    batches = stored_batches([request], [make(subject="Toinen"), reply], [stranger])
    done = [
        [f"{row.status} {row.reason}" for row in rows] for rows in inbound.process_batches(batches)
    ]
    assert done == [
        ["processed created"],
        ["processed created", "processed appended"],
        ["held unknown_requester"],
    ]
    assert len(parsed_here) == 1
    assert Ticket.objects.get(subject="Kassa").messages.count() == 2


def test_an_import_whose_parsing_helper_dies_loses_nothing(main_user, caplog):
    import multiprocessing

    def helper_killed_after_two(batches):
        for index, batch in enumerate(batches):
            if index == 2:
                for child in multiprocessing.active_children():
                    child.kill()
                    child.join()
            yield batch

    messages = [
        [make(subject=f"Viesti {n}", Message_ID=f"<m{n}@aurora.example>")] for n in range(5)
    ]
    batches = helper_killed_after_two(stored_batches(*messages))
    done = [row for rows in inbound.process_batches(batches) for row in rows]
    assert [row.status for row in done] == [Status.PROCESSED] * 5
    assert Ticket.objects.count() == 5
    assert "parsing here" in caplog.text


def test_on_one_core_an_import_parses_everything_here(main_user, monkeypatch):
    parsed_here = []
    parse = inbound.parse_email
    monkeypatch.setattr(inbound, "parse_email", lambda raw: parsed_here.append(raw) or parse(raw))
    monkeypatch.setattr(inbound, "_cores", lambda: 1)
    batches = stored_batches(*([make(subject=f"Yksin {n}")] for n in range(3)))
    assert sum(len(rows) for rows in inbound.process_batches(batches)) == 3
    assert len(parsed_here) == 3


def test_a_batch_records_each_outcome_as_one_message_alone_would(main_user):
    """A batch writes its outcomes together, in one statement: the same columns as a
    message processed on its own gets."""

    def three(tag):
        return [
            make(subject="Kassa", Message_ID=f"<{tag}-new@aurora.example>"),
            make(sender="Outo <outo@nowhere.example>", Message_ID=f"<{tag}-x@nowhere.example>"),
            make(Message_ID=f"<{tag}-auto@aurora.example>", Auto_Submitted="auto-replied"),
        ]

    alone = [
        inbound.process(row)
        for row, _ in inbound.store_many([m.as_bytes() for m in three("alone")], via="import")
    ]
    together = inbound.process_many(
        [row for row, _ in inbound.store_many([m.as_bytes() for m in three("batch")], via="import")]
    )
    compared = ("sender", "subject", "error", "status", "reason", "attempt_count")

    def written(row):
        row = InboundMessage.objects.get(pk=row.pk)
        assert row.processed_at is not None
        if row.ticket_message is not None:
            assert row.ticket_message.ticket == row.ticket
        return [getattr(row, name) for name in compared], row.ticket is None

    assert [written(row) for row in together] == [written(row) for row in alone]
    assert [row.status for row in together] == [Status.PROCESSED, Status.HELD, Status.DROPPED]
    assert [written(row)[0] for row in together] == [
        [getattr(row, name) for name in compared]
        for row in together  # what it returned
    ]


def test_a_batch_looks_up_its_thread_ids_and_tickets_at_once_where_it_is_the_only_writer(main_user):
    """On SQLite a batch's transaction shuts out every other writer, so the Message-IDs
    it names are read in one query; replies still find their tickets as they are then
    (two replies to one ticket in one batch both count), and a reply to a request
    earlier in the same batch is looked up again and found."""
    from tiketti.tickets.services import one_writer_at_a_time

    first = ingest(make(subject="Kassa", Message_ID="<first@aurora.example>"))
    version = first.ticket.version

    def answer(number, to):
        reply = make(subject="Re: Kassa", Message_ID=f"<re{number}@aurora.example>")
        reply["In-Reply-To"] = to
        return reply

    batch = [
        answer(1, "<first@aurora.example>"),
        make(subject="Uusi", Message_ID="<new@aurora.example>"),
        answer(2, "<first@aurora.example>"),
        answer(3, "<new@aurora.example>"),
    ]
    rows = [row for row, _ in inbound.store_many([m.as_bytes() for m in batch], via="import")]
    with CaptureQueriesContext(connection) as queries:
        done = inbound.process_many(rows)
    assert [row.reason for row in done] == ["appended", "created", "appended", "appended"]
    assert done[0].ticket == done[2].ticket == first.ticket and done[3].ticket == done[1].ticket
    first.ticket.refresh_from_db()
    assert first.ticket.version == version + 2 and first.ticket.messages.count() == 3
    lookups = [q for q in queries if q["sql"].startswith('SELECT "tickets_threadid"')]
    # one for the batch, and one again for the reply to "<new@…>", which the batch made
    assert len(lookups) == (2 if one_writer_at_a_time() else len(batch))


def test_a_batch_reads_the_tickets_it_continues_at_once_and_each_as_it_is_then(main_user):
    """On SQLite the tickets a batch's replies continue, by Message-ID or by number, are
    read in one query at its start. Each copy is used once: a second reply to a ticket
    reads it again (its version rises twice), and a number the batch itself gave out,
    unknown at the start, is looked up when asked for."""
    from tiketti.tickets.services import one_writer_at_a_time

    first = ingest(make(subject="Kassa", Message_ID="<kassa@aurora.example>")).ticket
    second = ingest(make(subject="Lasku", Message_ID="<lasku@aurora.example>")).ticket
    prefix, _, last = second.number.rpartition("-")
    opened_in_batch = f"{prefix}-{int(last) + 1}"
    by_reference = make(subject="Re: Kassa")
    by_reference["In-Reply-To"] = "<kassa@aurora.example>"
    batch = [
        by_reference,
        make(subject=f"Re: [{second.number}] Lasku"),
        make(subject="Uusi"),
        make(subject=f"Re: [{opened_in_batch}] Uusi"),
        make(subject=f"VS: [{first.number}] Kassa"),
    ]
    versions = first.version, second.version
    rows = [row for row, _ in inbound.store_many([m.as_bytes() for m in batch], via="import")]
    with CaptureQueriesContext(connection) as queries:
        done = inbound.process_many(rows)
    assert [row.reason for row in done] == ["appended", "appended", "created"] + ["appended"] * 2
    assert [row.ticket.number for row in done] == [
        first.number, second.number, opened_in_batch, opened_in_batch, first.number
    ]  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (versions[0] + 2, versions[1] + 1)
    assert first.messages.count() == 3 and second.messages.count() == 2
    if one_writer_at_a_time():
        reads = [q for q in queries if q["sql"].startswith('SELECT "tickets_ticket"."id"')]
        # the batch's, the number it gave out itself, and the second reply to Kassa
        assert len(reads) == 3


def test_a_ticket_a_batch_reads_again_is_never_answered_later_from_its_first_copy(
    main_user,
):
    """A reply naming a ticket and a number that is no ticket is looked up by a query;
    the ticket it finds is then handed out, so a later reply to it in the batch reads it
    again rather than taking the copy from the batch's start (which would write back
    the old status and version)."""
    ticket = ingest(make(subject="Kassa", Message_ID="<kassa@aurora.example>")).ticket
    prefix = ticket.number.rpartition("-")[0]
    batch = [
        make(subject=f"Re: [{ticket.number}] tilaus {prefix}-77777"),
        make(subject=f"Re: [{ticket.number}] Kassa"),
    ]
    version = ticket.version
    rows = [row for row, _ in inbound.store_many([m.as_bytes() for m in batch], via="import")]
    assert [row.reason for row in inbound.process_many(rows)] == ["appended", "appended"]
    ticket.refresh_from_db()
    assert ticket.version == version + 2 and ticket.messages.count() == 3


def test_a_batch_reply_naming_two_tickets_joins_the_one_a_lone_reply_would(main_user):
    """Of several tickets named, the most recently updated one (the model's order), in a
    batch as on its own."""
    older = ingest(make(subject="Kassa", Message_ID="<kassa@aurora.example>")).ticket
    newer = ingest(make(subject="Lasku", Message_ID="<lasku@aurora.example>")).ticket
    subject = f"Re: [{older.number}] ja [{newer.number}]"
    alone = ingest(make(subject=subject, Message_ID="<alone@aurora.example>"))
    raw = make(subject=subject, Message_ID="<batch@aurora.example>").as_bytes()
    [(row, _)] = inbound.store_many([raw], via="import")
    [together] = inbound.process_many([row])  # a batch of one still reads as a batch
    assert alone.ticket == together.ticket == newer


def test_a_batch_reads_its_known_senders_at_once(main_user, organisation):
    """One query finds the contacts who sent a batch; a sender the batch itself adds (a
    new address at a customer's domain) is found by the later messages too."""
    raws = [
        make(subject="Yksi").as_bytes(),
        make(sender="Uusi Henkilö <uusi@aurora.example>", subject="Kaksi").as_bytes(),
        make(subject="Re: Yksi").as_bytes(),
        make(sender="uusi@aurora.example", subject="Kolme").as_bytes(),
    ]
    rows = [row for row, _ in inbound.store_many(raws, via="import")]
    with CaptureQueriesContext(connection) as queries:
        done = inbound.process_many(rows)
    user_reads = [q for q in queries if q["sql"].startswith('SELECT "accounts_user"."id"')]
    # the batch's known senders at once; then "uusi@" is looked up (not found, so added)
    # and found again by the fourth message, which the batch's read could not know
    assert len(user_reads) == 3
    newcomer = User.objects.get(email="uusi@aurora.example")
    assert [row.ticket.requester for row in done] == [main_user, newcomer, main_user, newcomer]


def test_mail_left_stored_is_processed_oldest_first(main_user):
    """After a crash (or with no worker running) the periodic job takes what waits: a
    reply stored after its request must find the request's ticket."""
    request = make(subject="Kassa", Message_ID="<kassa@aurora.example>")
    reply = make(subject="Re: Kassa", Message_ID="<vastaus@aurora.example>")
    reply["In-Reply-To"] = "<kassa@aurora.example>"
    for message in (request, reply):
        inbound.store_raw(message.as_bytes(), via="lmtp")
    assert inbound.process_pending() == 2
    ticket = Ticket.objects.get()
    assert [m.message_id for m in ticket.messages.order_by("pk")] == [
        "kassa@aurora.example",
        "vastaus@aurora.example",
    ]


def test_a_deadlock_is_tried_again_and_other_database_errors_are_recorded(main_user, monkeypatch):
    """PostgreSQL breaks a deadlock between two workers by failing one statement: that
    message is processed again (its savepoint rolled back); any other error is kept."""
    real_submit = inbound.submit_request
    calls = []

    class Deadlock(Exception):
        sqlstate = "40P01"

    def deadlocked_once(request, *batch):
        calls.append(request.subject)
        if request.subject == "Lukko" and calls.count("Lukko") == 1:
            real_submit(request, *batch)  # some of the work is done, then the database says no
            raise OperationalError("deadlock detected") from Deadlock()
        if request.subject == "Rikki":
            raise OperationalError("disk I/O error")
        return real_submit(request, *batch)

    monkeypatch.setattr(inbound, "submit_request", deadlocked_once)
    raws = [make(subject=subject).as_bytes() for subject in ("Lukko", "Rikki")]
    done = inbound.process_many([row for row, _ in inbound.store_many(raws, via="import")])
    assert [row.status for row in done] == [Status.PROCESSED, Status.FAILED]
    assert calls == ["Lukko", "Lukko", "Rikki"] and done[0].attempt_count == 1
    assert Ticket.objects.get().subject == "Lukko"  # the first try left nothing behind
    assert "disk I/O error" in done[1].error


def test_a_batch_task_takes_ids_and_skips_a_deleted_message(main_user):
    kept, deleted = (
        inbound.store_raw(make(subject=subject).as_bytes(), via="lmtp")[0]
        for subject in ("Kassa", "Poistettu")
    )
    deleted_id = deleted.pk
    deleted.delete()
    [done] = inbound.process_many([kept.pk, deleted_id])
    assert done.pk == kept.pk and done.status == Status.PROCESSED


def test_same_message_twice_makes_one_ticket_message(main_user):
    first = ingest(make(Message_ID="<twice@aurora.example>"))
    # The same mail through another door: different Received headers, same Message-ID.
    again = make(Message_ID="<twice@aurora.example>")
    again["Received"] = "from mx2.example by imap.example"
    row, created = inbound.store_raw(again.as_bytes(), via=InboundMessage.Via.IMAP)
    assert created is False and row.pk == first.pk
    assert inbound.process(row.pk).status == Status.PROCESSED
    assert Message.objects.count() == 1


def test_reply_to_the_acknowledgement_threads_into_the_ticket(main_user, settings):
    ticket = ingest(make(Message_ID="<orig@aurora.example>")).ticket
    acknowledgement = OutgoingEmail.objects.get(template="acknowledgement")
    reply = make(
        subject="Re: something else entirely",
        body="Tässä kuvakaappaus.",
        Message_ID="<reply@aurora.example>",
        In_Reply_To=f"<{acknowledgement.message_id}>",
        to="noreply@tiketti.localhost",
    )
    reply.add_attachment(PNG, maintype="image", subtype="png", filename="kuvakaappaus.png")
    row = ingest(reply)
    assert row.ticket == ticket and row.reason == "appended"
    assert ticket.attachments.get().filename == "kuvakaappaus.png"


@pytest.mark.parametrize(
    "subject",
    [
        "Re: [AB-1001] Kassa",
        "VS: AB-1001 kassa",
        "Odp: Fwd: [AB-1001]",
        "RE: [ab-1001] Kassa",  # people and mail programs change case
        "VS: ab-1001 kassa",
        "Odp: [ Ab-1001 ] kassa",
    ],
)
def test_reply_threads_by_the_number_in_the_subject(main_user, subject):
    ticket = ingest(make()).ticket
    assert ticket.number == "AB-1001"
    row = ingest(make(subject=subject, body="Lisätietoa"))
    assert row.ticket == ticket and row.reason == "appended"
    assert ticket.messages.count() == 2 and Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "subject", ["Re: stk-1001", "Re: [xab-1001]", "Re: ab-1001x", "Re: atk-ab-1001", "ab-1001-2"]
)
def test_a_number_inside_another_word_does_not_thread(main_user, subject):
    ticket = ingest(make()).ticket
    row = ingest(make(subject=subject, body="Uusi asia"))
    assert row.reason == "created" and row.ticket != ticket


@pytest.mark.parametrize("local", ["support+ab-1001", "Support+Ab-1001", "support+AB-1001"])
def test_reply_threads_by_a_plus_address_in_any_case(main_user, local):
    ticket = ingest(make()).ticket
    assert ticket.number == "AB-1001"
    by_header = ingest(make(subject="no number here", to=f"{local}@tiketti.localhost"))
    by_envelope = ingest(
        make(subject="still none", body="Toinen"), envelope_recipient=f"{local}@tiketti.localhost"
    )
    assert by_header.ticket == ticket and by_envelope.ticket == ticket
    assert Ticket.objects.count() == 1


def test_reply_threads_by_plus_address(main_user):
    ticket = ingest(make()).ticket
    row = ingest(
        make(subject="no number here", to=f"support+{ticket.number.lower()}@tiketti.localhost")
    )
    assert row.ticket == ticket


def test_colleague_may_reply_but_a_stranger_with_a_forged_number_is_held(
    main_user, ordinary_user, stranger
):
    ticket = ingest(make()).ticket
    assert (
        ingest(make(sender="jussi@aurora.example", subject=f"Re: [{ticket.number}]")).ticket
        == ticket
    )
    forged = ingest(make(sender="anna@bursztyn.example", subject=f"Re: [{ticket.number}] x"))
    assert forged.status == Status.HELD and forged.reason == "sender_not_on_ticket"
    assert ticket.messages.count() == 2
    assert not OutgoingEmail.objects.filter(to="anna@bursztyn.example").exists()


def test_unknown_sender_is_held_and_pointed_to_sales(db, settings):
    settings.TIKETTI_SALES_EMAIL = "myynti@tiketti.example"
    row = ingest(make(sender="someone@gmail.example"))
    assert row.status == Status.HELD and row.reason == "unknown_requester"
    assert inbound.describe(row) == "held unknown_requester"
    [reply] = mail.outbox
    assert reply.to == ["someone@gmail.example"]
    assert "myynti@tiketti.example" in reply.body
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert not Ticket.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):  # staff process it again
        assert inbound.process(row.pk).reason == "unknown_requester"
    assert len(mail.outbox) == 1  # they were told once


@pytest.mark.parametrize(
    ("subject", "body", "headers", "expected"),
    [
        ("Tilaus", "Hei, haluaisimme ostaa tuen. Mitä se maksaa?", {}, "Emme voineet"),
        ("Zamówienie", "Dzień dobry, czy można kupić wsparcie? Proszę o ofertę.", {}, "Nie"),
        ("Order", "Hello, we would like to buy support. What does it cost?", {}, "We could"),
        ("Tilaus", "Order", {"Content-Language": "fi-FI"}, "Emme voineet"),
        ("Order", "Order", {"Accept-Language": "pl-PL, en-US"}, "Nie"),
        ("?", "123", {}, "We could"),  # nothing to go by: our default language
    ],
)
def test_a_stranger_is_answered_in_the_language_they_wrote_in(
    db, settings, subject, body, headers, expected
):
    settings.TIKETTI_DEFAULT_LANGUAGE = "en"
    message = make(sender="kalle@uusiyritys.example", subject=subject, body=body)
    for name, value in headers.items():  # after the body: set_content drops Content-*
        message[name] = value
    ingest(message)
    [reply] = mail.outbox
    assert reply.subject.startswith(expected)


def test_new_sender_in_a_customer_domain_becomes_a_contact(organisation):
    row = ingest(make(sender="Uusi Henkilö <uusi@aurora.example>"))
    assert row.ticket.requester.email == "uusi@aurora.example"
    assert row.ticket.requester.display_name == "Uusi Henkilö"
    assert row.ticket.requester.language == organisation.language  # too little to go by


def test_a_new_contact_gets_the_language_they_wrote_in(organisation):
    body = "Dzień dobry, nie działa płatność w sklepie. Proszę o pomoc."
    row = ingest(make(sender="nowy@aurora.example", subject="Płatność", body=body))
    assert organisation.language != "pl" and row.ticket.requester.language == "pl"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto-reply"),
        ({"X_Autoreply": "yes"}, "auto-reply"),
        ({"Precedence": "bulk"}, "bulk"),
        ({"List_Id": "<users.lists.example>"}, "mailing-list"),
    ],
)
def test_machine_mail_is_dropped_kept_and_never_answered(main_user, headers, reason):
    row = ingest(make(**headers))
    assert row.status == Status.DROPPED and row.reason == reason
    assert inbound.describe(row) == f"dropped {reason}"
    assert mail.outbox == [] and not Ticket.objects.exists()
    assert InboundMessage.objects.filter(status=Status.DROPPED).count() == 1


def test_mail_from_ourselves_is_a_loop(db, settings):
    row = ingest(make(sender=settings.DEFAULT_FROM_EMAIL))
    assert row.status == Status.DROPPED and row.reason == "loop"


def test_bounce_marks_the_contacts_address(main_user):
    bounce = (
        b"From: MAILER-DAEMON@mx.aurora.example\r\nTo: support@tiketti.localhost\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; maija@aurora.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--b--\r\n"
    )
    row = ingest(bounce)
    assert row.status == Status.DROPPED and row.reason == "bounce"
    main_user.refresh_from_db()
    assert main_user.email_failed_at is not None and "5.1.1" in main_user.email_failure


@pytest.mark.parametrize("returned_as", ["text/rfc822-headers", "message/rfc822"])
def test_a_bounce_of_our_mail_shows_on_the_ticket_as_failed(main_user, returned_as):
    ticket = ingest(make(Message_ID="<m1@aurora.example>")).ticket
    acknowledgement = OutgoingEmail.objects.get(ticket=ticket, template="acknowledgement")
    bounce = (
        b"From: MAILER-DAEMON@mx.aurora.example\r\nTo: support@tiketti.localhost\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nMailbox full.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; maija@aurora.example\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        b"--b\r\nContent-Type: " + returned_as.encode() + b"\r\n\r\n"
        b"From: support@tiketti.localhost\r\nTo: maija@aurora.example\r\n"
        b"Message-ID: <" + acknowledgement.message_id.encode() + b">\r\n"
        b"Subject: [" + ticket.number.encode() + b"] Kassa ei toimi\r\n\r\nThanks\r\n"
        b"--b--\r\n"
    )
    assert ingest(bounce).reason == "bounce"
    acknowledgement.refresh_from_db()
    assert acknowledgement.status == OutgoingEmail.Status.FAILED
    assert (
        "5.2.2" in acknowledgement.last_error
        and "maija@aurora.example" in acknowledgement.last_error
    )


def test_suppress_header_gets_a_ticket_but_no_acknowledgement(main_user):
    row = ingest(make(X_Auto_Response_Suppress="All"))
    assert row.status == Status.PROCESSED
    assert mail.outbox == []


def test_automatic_replies_to_one_sender_are_rate_limited(db, settings):
    settings.TIKETTI_AUTO_REPLY_LIMIT = 3
    for index in range(6):
        ingest(make(sender="robot@gmail.example", subject=f"spam {index}"))
    assert len(mail.outbox) == 3
    assert InboundMessage.objects.filter(status=Status.HELD).count() == 6


def test_an_acknowledgement_held_back_by_the_limit_shows_on_its_ticket(main_user, settings):
    settings.TIKETTI_AUTO_REPLY_LIMIT = 2
    tickets = [ingest(make(subject=f"Asia {index}")).ticket for index in range(3)]
    assert len(mail.outbox) == 2
    held_back = TicketEvent.objects.filter(kind=TicketEvent.Kind.MAIL_HELD_BACK)
    assert [event.ticket for event in held_back] == [tickets[2]]
    assert held_back.get().new_value == main_user.email


def test_mailbox_routes_to_its_team_and_category(main_user, category, team):
    Mailbox.objects.create(
        name="Billing", address="billing@tiketti.localhost", team=team, category=category
    )
    row = ingest(make(to="Billing <billing@tiketti.localhost>"))
    assert row.ticket.team == team and row.ticket.category == category


def test_routing_changes_reach_a_running_intake(main_user, category, team):
    """The intake keeps the mailboxes in memory: a change saved in this process is seen at
    once, and a mailbox it does not know yet (added by another process) is looked up."""
    billing = Mailbox.objects.create(name="Billing", address="billing@tiketti.localhost")
    assert ingest(make(subject="Lasku 1", to="billing@tiketti.localhost")).ticket.team is None
    billing.team = team
    billing.save()
    assert ingest(make(subject="Lasku 2", to="billing@tiketti.localhost")).ticket.team == team
    # No signal fires for bulk_create, as for a row another process wrote.
    Mailbox.objects.bulk_create(
        [Mailbox(name="Sales", address="sales@tiketti.localhost", category=category)]
    )
    assert ingest(make(subject="Lasku 3", to="sales@tiketti.localhost")).ticket.category == category
    assert "sales@tiketti.localhost" in inbound.own_addresses()  # the next read has it


def test_a_message_is_processed_once_however_often_it_is_asked(main_user):
    row, _ = inbound.store_raw(make().as_bytes(), via=InboundMessage.Via.PIPE)
    first = inbound.process(row)  # the row as stored, bytes in hand
    again = inbound.process(row.pk)  # a retry by id finds it done
    assert first.status == again.status == Status.PROCESSED
    assert again.attempt_count == 1 and Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("headers", "outcome", "most"),
    [
        # The desk's search index costs one statement: the new ticket's document (INSERT),
        # the reply's words added to it (UPDATE).
        ({"Message_ID": "<new@aurora.example>"}, "created", 11),
        (
            {"Message_ID": "<reply@aurora.example>", "In_Reply_To": "<first@aurora.example>"},
            "appended",
            13,
        ),
        (
            {"Message_ID": "<auto@aurora.example>", "Auto_Submitted": "auto-replied"},
            "auto-reply",
            3,
        ),
    ],
)
def test_processing_a_message_takes_a_handful_of_statements(
    main_user, headers, outcome, most, django_assert_max_num_queries
):
    """Intake speed is mostly statements: the counts (savepoints included) stay put.
    Mailboxes, policies and contracts come from memory once read."""
    support = Mailbox.objects.create(name="Support", address="support@tiketti.localhost")
    ingest(make(Message_ID="<first@aurora.example>"), mailbox=support)
    row, _ = inbound.store_raw(make(**headers).as_bytes(), via="pipe", mailbox=support)
    if outcome == "appended" and not connection.features.has_select_for_update:
        most -= 1  # SQLite: the ticket read in this transaction is not read again to lock it
    with django_assert_max_num_queries(most):
        done = inbound.process(row)
    assert outcome in done.reason


def test_html_only_mail_with_inline_image(main_user):
    message = EmailMessage()
    message["From"] = "maija@aurora.example"
    message["Subject"] = "Kuva"
    message.set_content(
        '<p>Katso kuva: <img src="cid:kuva1@x"><script>alert(1)</script></p>', subtype="html"
    )
    message.add_related(PNG, maintype="image", subtype="png", cid="<kuva1@x>", filename="kuva.png")
    ticket = ingest(message).ticket
    stored = ticket.messages.get()
    assert "Katso kuva" in stored.body_text
    attachment = ticket.attachments.get()
    assert f"/attachments/{attachment.key}/kuva.png" in stored.body_html
    assert "<script" not in stored.body_html and "cid:" not in stored.body_html


def test_oversized_attachment_is_noted_not_lost(main_user, settings):
    settings.TIKETTI_MAX_ATTACHMENT_BYTES = 1000
    message = make()
    message.add_attachment(
        b"x" * 5000, maintype="application", subtype="octet-stream", filename="iso.bin"
    )
    row = ingest(message)
    assert row.status == Status.PROCESSED
    assert not row.ticket.attachments.exists()
    assert "iso.bin" in row.ticket.messages.get().body_text
    assert b"iso.bin" in bytes(row.raw)  # the original keeps it


def test_what_intake_writes_into_a_finnish_contacts_ticket_is_in_finnish(main_user, settings):
    """A command (the MTA pipe) runs in English; the contact reads the ticket in Finnish."""
    settings.TIKETTI_MAX_ATTACHMENT_BYTES = 1000
    main_user.language = "fi"
    main_user.save()
    message = make(subject="", body="")
    message.add_attachment(
        b"x" * 5000, maintype="application", subtype="octet-stream", filename="iso.bin"
    )
    ticket = ingest(message).ticket
    assert ticket.subject == "(ei otsikkoa)"
    body = ticket.messages.get().body_text
    assert "(tyhjä viesti)" in body and "[iso.bin: ei liitetty" in body


def test_identity_code_flags_the_ticket_and_warns_once(main_user, agent):
    ticket = ingest(make(body="Henkilötunnukseni on 131052-308T.")).ticket
    ingest(make(subject=f"Re: [{ticket.number}]", body="Ja vaimoni: 131052-308T"))
    ticket.refresh_from_db()
    assert ticket.personal_data_found_at is not None
    warnings = OutgoingEmail.objects.filter(template="personal-data-warning")
    assert warnings.count() == 1
    # The acknowledgement quotes the request: the code is not mailed back.
    acknowledgement = OutgoingEmail.objects.get(template="acknowledgement")
    assert "131052-****" in acknowledgement.body_text + acknowledgement.body_html
    assert all("131052-308T" not in m.body for m in mail.outbox)
    first = ticket.messages.first()
    assert redact_personal_data(message=first, actor=agent) == 1
    first.refresh_from_db()
    assert "131052-308T" not in first.body_text and "131052-****" in first.body_text
    original = InboundMessage.objects.get(ticket_message=first)
    assert bytes(original.raw) == b""
    assert ticket.events.filter(kind=TicketEvent.Kind.REDACTED, actor=agent).exists()


def test_removing_identity_codes_masks_the_stored_copies_of_our_own_mail(main_user, agent):
    """Mail stored before the ticket was flagged (here: written by hand) still quotes the
    code: removing it from the message removes it there too."""
    ticket = ingest(make(body="PESEL: 44051401359")).ticket
    OutgoingEmail.objects.filter(ticket=ticket).update(body_text="You wrote: 44051401359")
    assert redact_personal_data(message=ticket.messages.get(), actor=agent) == 1
    stored = OutgoingEmail.objects.filter(ticket=ticket)
    assert stored and all("44051401359" not in e.body_text for e in stored)
    event = ticket.events.get(kind=TicketEvent.Kind.REDACTED)
    assert f"{stored.count()} stored outgoing e-mail(s) masked" in event.new_value


def test_processing_failure_is_kept_with_its_error_and_can_be_retried(main_user, monkeypatch):
    def broken(request, batch=None):
        raise RuntimeError("intake is broken")

    monkeypatch.setattr(inbound, "submit_request", broken)
    row = ingest(make())
    assert row.status == Status.FAILED and "intake is broken" in row.error
    assert inbound.describe(row) == "held processing-failed"
    monkeypatch.undo()
    call_command("mail", "retry")
    row.refresh_from_db()
    assert row.status == Status.PROCESSED and row.ticket is not None


def test_a_crash_mid_processing_leaves_it_to_be_processed_exactly_once(main_user, monkeypatch):
    """The worker dies after the ticket rows were written but before commit (simulated
    with an exception that the pipeline does not catch, as a killed process would not)."""
    real = inbound.submit_request

    def dies_after_writing(request, batch=None):
        real(request, batch)
        raise KeyboardInterrupt  # like SIGKILL: no cleanup, the transaction never commits

    monkeypatch.setattr(inbound, "submit_request", dies_after_writing)
    row, _ = inbound.store_raw(make().as_bytes(), via=InboundMessage.Via.PIPE)
    with pytest.raises(KeyboardInterrupt):
        inbound.process(row.pk)
    assert not Ticket.objects.exists()
    row.refresh_from_db()
    assert row.status == Status.STORED
    monkeypatch.undo()
    assert inbound.process_pending() == 1
    assert inbound.process(row.pk).status == Status.PROCESSED  # a second run does nothing
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["new request", "reply"])
@pytest.mark.parametrize("how", ["alone", "in a batch"])
def test_two_workers_processing_one_message_at_once_make_one_ticket_message(main_user, kind, how):
    """Two workers (threads with their own connections) are handed the same stored message
    at the same moment, as after a retry racing the first delivery: exactly one outcome is
    recorded, and the loser's writes roll back (alone) or it is never acted on (a batch
    claims its messages before acting)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a file or server database")
    first = ingest(make(Message_ID="<start@aurora.example>"))
    headers = {"Message_ID": "<race@aurora.example>"}
    if kind == "reply":
        headers["In_Reply_To"] = "<start@aurora.example>"
    row, _ = inbound.store_raw(make(**headers).as_bytes(), via=InboundMessage.Via.PIPE)
    if how == "alone":
        outcomes = at_once(lambda _index: inbound.process(row.pk).status, 2)
    else:
        outcomes = at_once(lambda _index: inbound.process_many([row.pk])[0].status, 2)
    assert outcomes == [Status.PROCESSED, Status.PROCESSED]
    row.refresh_from_db()
    assert row.status == Status.PROCESSED and row.attempt_count == 1
    assert Message.objects.filter(message_id="race@aurora.example").count() == 1
    assert Ticket.objects.count() == (1 if kind == "reply" else 2)
    if kind == "reply":
        assert row.ticket == first.ticket


@pytest.mark.parametrize("how", ["alone", "in a batch"])
def test_a_message_held_by_another_worker_after_it_was_read_is_left_alone(db, settings, how):
    """A held message still waits (staff may process it again), so "still waiting" is not
    enough: a worker that read it before another one held it must not act on it again
    (a second explanation to the sender, a second attempt counted)."""
    settings.TIKETTI_SALES_EMAIL = "myynti@tiketti.example"
    row, _ = inbound.store_raw(make(sender="someone@gmail.example").as_bytes(), via="pipe")
    late = InboundMessage.objects.get(pk=row.pk)  # read by the slower worker
    late_reading = inbound.read(late)
    with TestCase.captureOnCommitCallbacks(execute=False) as first:
        assert inbound.process(row.pk).status == Status.HELD
    with TestCase.captureOnCommitCallbacks(execute=False) as second:
        if how == "alone":
            again = inbound._act(late, late_reading)
        else:
            [again] = inbound._process_read([late], [(late, late_reading)])
    assert len(first) == 1 and len(second) == 0  # one explanation queued, not two
    assert again.status == Status.HELD and again.attempt_count == 1
    assert InboundMessage.objects.get(pk=row.pk).attempt_count == 1


@pytest.mark.django_db(transaction=True)
def test_two_intake_workers_on_one_backlog_process_each_message_once(db, settings):
    """Both take every waiting message; each message is acted on once."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a file or server database")
    settings.TIKETTI_SALES_EMAIL = "myynti@tiketti.example"
    raws = [make(sender=f"s{n}@gmail.example", Message_ID=f"<h{n}@x>") for n in range(120)]
    inbound.store_many([raw.as_bytes() for raw in raws], via="pipe")
    at_once(lambda _index: inbound.process_pending(limit=None), 2)
    rows = InboundMessage.objects.all()
    assert {(row.status, row.attempt_count) for row in rows} == {(Status.HELD, 1)}
    assert len(mail.outbox) == 120  # one explanation each


def test_import_mbox_prints_counts(main_user, tmp_path, capsys):
    import mailbox

    box = mailbox.mbox(tmp_path / "old.mbox")
    for index in range(3):
        box.add(make(subject=f"vanha {index}", Message_ID=f"<old{index}@aurora.example>"))
    box.add(make(sender="nobody@nowhere.example", Message_ID="<x@nowhere.example>"))
    box.close()
    call_command("mail", "import", "--mbox", str(tmp_path / "old.mbox"))
    assert capsys.readouterr().out.strip() == (
        "imported 4 message(s) (held: 1, processed: 3, stored: 4)"
    )
    call_command("mail", "import", "--mbox", str(tmp_path / "old.mbox"))
    assert "already stored: 4" in capsys.readouterr().out
    assert Ticket.objects.count() == 3


def tiketti(*args, env=None, stdin=b""):
    script = Path(sys.executable).parent / "tiketti"
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tiketti.settings",
        "DEBUG": "1",
        **(env or {}),
    }
    return subprocess.run(
        [str(script), *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=300,  # a busy machine (CI runs beside other work) may take long to start one
        check=False,
    )


@pytest.mark.parametrize(("command", "exit_code"), [(["mail", "ingest"], 75), (["worker"], 78)])
def test_a_missing_setting_is_named_without_a_traceback(command, exit_code):
    """Without SECRET_KEY (DEBUG off) nothing starts: the error says what to set. Mail
    piped in then gets 75, so the mail server keeps it and tries again, never bounces."""
    result = tiketti(
        *command,
        env={"DEBUG": "", "SECRET_KEY": "", "SECRET_KEY_FILE": ""},
        stdin=make().as_bytes(),
    )
    assert result.returncode == exit_code, result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode().startswith("tiketti: the configuration is incomplete: SECRET_KEY")


@pytest.mark.django_db(transaction=True)
def test_ingest_exits_75_when_the_message_cannot_be_stored(tmp_path):
    result = tiketti(
        "mail",
        "ingest",
        stdin=make().as_bytes(),
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/missing"},
    )
    assert result.returncode == 75, result.stderr
    assert b"not stored" in result.stderr
    assert not InboundMessage.objects.exists()
