"""Inbound mail: transport → store the raw bytes → parse → classify → the intake service.

Storing (`storing`) is the only step a transport waits for: once `store_raw` returns, the
message is durable (committed) and everything after it can fail, be retried, and still
never lose it. Processing is idempotent: the same message delivered twice (IMAP and LMTP,
a retry) becomes one ticket message.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from functools import partial
from multiprocessing import get_context

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tiketti.accounts.models import User, normalize_email
from tiketti.contracts.quotes import decide_by_email
from tiketti.operations.rows import update_all
from tiketti.operations.task_backend import enqueued_together
from tiketti.tickets.acute import mentions_acute
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.errors import IntakeRefused, TicketError
from tiketti.tickets.intake import (
    BatchThreads,
    IntakeRequest,
    IntakeResult,
    Outcome,
    our_ticket_numbers,
    submit_request,
)
from tiketti.tickets.models import Ticket
from tiketti.tickets.subjects import shorten_subject, subject_limit

from . import failures
from .addressing import (
    declared_language,
    mailbox_at,
    mailbox_for,
    mailbox_of,
    our_prefix,
    own_addresses,
    plus_numbers,
    sender_language,
)
from .classify import Classification, classify
from .models import InboundMessage, OutgoingEmail
from .parsing import ParsedEmail, find_ticket_numbers, parse_all, parse_email
from .storing import (
    Delivery,
    peek_message_id,
    queue_processing,
    store_deliveries,
    store_each,
    store_many,
    store_raw,
)

SUBJECT_LIMIT = subject_limit(InboundMessage)

logger = logging.getLogger(__name__)
Status = InboundMessage.Status
TO_PROCESS = (Status.STORED, Status.FAILED, Status.HELD)


@dataclass(frozen=True)
class Reading:
    """What parsing and classification found, before anything is written."""

    parsed: ParsedEmail
    classification: Classification
    own_addresses: frozenset[str]


def read(inbound: InboundMessage) -> Reading:
    return _classified(parse_email(bytes(inbound.raw)))


def _classified(parsed: ParsedEmail) -> Reading:
    ours = own_addresses()
    return Reading(parsed, classify(parsed, ours), ours)


class _AlreadyProcessed(Exception):
    """Another worker recorded this message's outcome first: undo ours."""


def process(inbound: int | InboundMessage) -> InboundMessage:
    """Run one stored message through the intake service; safe to call again. Give the
    row `store_raw` returned to save reading it back."""
    inbound = _with_raw(inbound)
    if inbound.status not in TO_PROCESS:
        return inbound
    return _act(inbound, _or_failure(read, inbound))  # reading is pure and slow: outside


def process_many(
    rows: Sequence[int | InboundMessage], statuses: Collection[str] = TO_PROCESS
) -> list[InboundMessage]:
    """Process a stored batch (an import, a poll) with one commit, in order: each message is
    read first, outside any transaction, then each acts in a savepoint of its own, so one
    that fails is recorded as failed and the rest go on. Should the commit itself fail,
    the messages are still stored and waiting (`process_pending` takes them). Only
    messages in one of `statuses` when read are processed."""
    loaded, waiting = _loaded(rows, statuses)
    return _process_read(loaded, _read_here(waiting))


def process_batches(
    batches: Iterable[Sequence[int | InboundMessage]], statuses: Collection[str] = TO_PROCESS
) -> Iterator[list[InboundMessage]]:
    """`process_many` for each batch in turn, yielding what it returns, while a helper
    process parses the next batch: an import keeps two cores busy. Each batch is taken
    from `batches` (which may store it) before the one before it is processed."""
    with _ParseAhead() as helper:
        ahead: tuple[list[InboundMessage], Callable[[], list[_Read]]] | None = None
        for rows in batches:
            loaded, waiting = _loaded(rows, statuses)
            parsing = loaded, helper.read(waiting)
            if ahead is not None:
                yield _process_read(ahead[0], ahead[1]())
            ahead = parsing
        if ahead is not None:
            yield _process_read(ahead[0], ahead[1]())


_Read = tuple[InboundMessage, Reading | Exception]


def _loaded(
    rows: Sequence[int | InboundMessage], statuses: Collection[str]
) -> tuple[list[InboundMessage], list[InboundMessage]]:
    """The batch's rows with their raw bytes (those not in hand read in one query; one
    deleted since is left out), and those of them in one of `statuses`, each once."""
    in_hand = {row.pk: row for row in rows if not isinstance(row, int) and _has_raw(row)}
    ids = [row if isinstance(row, int) else row.pk for row in rows]
    by_id = InboundMessage.objects.in_bulk([pk for pk in ids if pk not in in_hand])
    loaded = [in_hand.get(pk) or by_id[pk] for pk in ids if pk in in_hand or pk in by_id]
    waiting = {row.pk: row for row in loaded if row.status in statuses}
    return loaded, list(waiting.values())


class _ParseAhead:
    """One helper process that parses a batch of messages while this process acts on
    the one before (parsing is pure: raw bytes in, a ParsedEmail out). On one core, or
    should the helper fail, messages are parsed here instead: slower, never lost."""

    def __enter__(self) -> _ParseAhead:
        self.pool: ProcessPoolExecutor | None = None
        if _cores() > 1:
            try:
                self.pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
                self.pool.submit(int)  # start it now: the first batch is parsed here
            except (OSError, RuntimeError) as error:
                logger.warning("No helper process to parse mail (%s); parsing here", error)
                self.pool = None
        self.started = False
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def read(self, rows: list[InboundMessage]) -> Callable[[], list[_Read]]:
        """Start reading `rows`; call what this returns for the readings."""
        first, self.started = not self.started, True
        if self.pool is None or first or not rows:
            return partial(_read_here, rows)
        try:
            parsing = self.pool.submit(parse_all, [bytes(row.raw) for row in rows])
        except RuntimeError as error:  # the helper broke earlier
            logger.warning("The mail-parsing helper stopped (%s); parsing here", error)
            self.pool = None
            return partial(_read_here, rows)
        return partial(self._collect, rows, parsing)

    def _collect(
        self, rows: list[InboundMessage], parsing: Future[list[ParsedEmail]]
    ) -> list[_Read]:
        try:
            parsed = parsing.result()
        except Exception as error:  # the helper died or could not send a result back
            logger.warning("The mail-parsing helper failed (%s); parsing here", error)
            self.pool = None
            return _read_here(rows)
        return [(row, _or_failure(_classified, p)) for row, p in zip(rows, parsed, strict=True)]


def _read_here(rows: list[InboundMessage]) -> list[_Read]:
    return [(row, _or_failure(read, row)) for row in rows]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _process_read(loaded: list[InboundMessage], readings: list[_Read]) -> list[InboundMessage]:
    """Act on a read batch in one transaction. Its messages are claimed first (locked
    where the database has row locks), so no other worker can record them meanwhile
    and each outcome need not be written on its own: they are written together."""
    with enqueued_together(), transaction.atomic():  # notifications: one INSERT after
        claimed = _claim([row for row, _ in readings])
        batch = _Batch.read([(row, r) for row, r in readings if isinstance(r, Reading)])
        done: dict[int, InboundMessage] = {}
        acted = []
        for row, reading in readings:
            if row.pk not in claimed:  # another worker recorded it since it was read
                done[row.pk] = InboundMessage.objects.defer("raw").filter(pk=row.pk).first() or row
                continue
            done[row.pk] = outcome = _act(row, reading, batch, claimed=True)
            if outcome is row:  # acted on; a failure is recorded by _act at once
                acted.append(row)
        _record_outcomes(acted)
    return [done.get(row.pk, row) for row in loaded]


def _claim(rows: list[InboundMessage]) -> set[int]:
    """Which of these messages are still as they were read: waiting, and processed by no
    one since (a held message is still waiting, so the attempt count tells). They stay
    locked until the commit; in id order, so overlapping batches never deadlock."""
    read = {row.pk: row.attempt_count for row in rows}
    waiting = InboundMessage.objects.filter(pk__in=read, status__in=TO_PROCESS).order_by("pk")
    found = waiting.select_for_update().values_list("pk", "attempt_count")
    return {pk for pk, attempts in found if attempts == read[pk]}


def _record_outcomes(rows: list[InboundMessage]) -> None:
    """Write the outcomes of claimed messages, in one statement. Each was claimed with
    the attempt count it was read with and counted one more attempt since (`_act`), so
    that count is written as it stands."""
    update_all(rows, [*OUTCOME_FIELDS, "attempt_count"])


@dataclass(frozen=True)
class _Batch:
    """What a batch's messages need from the database, read at once inside its
    transaction rather than once per message."""

    senders: dict[str, User]
    threads: BatchThreads | None = None

    @classmethod
    def read(cls, readings: Sequence[tuple[InboundMessage, Reading]]) -> _Batch:
        threads = None
        if BatchThreads.applies():
            keys = (key for row, r in readings for key in _thread_keys(row, r.parsed))
            numbers = (n for row, r in readings for n in _ticket_numbers(row, r.parsed))
            threads = BatchThreads(keys, our_ticket_numbers(numbers))
        return cls(_known_senders([reading for _, reading in readings]), threads)


def _known_senders(readings: Sequence[Reading]) -> dict[str, User]:
    """The stored contacts who sent these messages, in one query rather than one per
    message. A sender not found is looked up again by the intake (a message earlier in
    the batch may have added them)."""
    emails = {normalize_email(reading.parsed.from_address) for reading in readings}
    found = User.objects.select_related("organisation").filter(email__in=emails - {""})
    return {user.email: user for user in found}


def _thread_keys(inbound: InboundMessage, parsed: ParsedEmail) -> list[str]:
    """The message's own Message-ID, then the ones it answers, newest first. Made up from
    its hash when it has none, or when an earlier, different message came with the same
    one: that ID stays the earlier message's."""
    reused = inbound.reuses_message_id_of_id is not None
    own = f"sha256-{inbound.sha256}" if reused or not parsed.message_id else parsed.message_id
    return [own, *parsed.in_reply_to, *reversed(parsed.references)]


def _with_raw(inbound: int | InboundMessage) -> InboundMessage:
    if isinstance(inbound, int):
        return InboundMessage.objects.get(pk=inbound)
    return inbound if _has_raw(inbound) else InboundMessage.objects.get(pk=inbound.pk)


def _has_raw(inbound: InboundMessage) -> bool:
    """A stored copy found by `store_raw` (or `store_many`) comes without its bytes."""
    return "raw" not in inbound.get_deferred_fields()


def _or_failure[Value](reader: Callable[[Value], Reading], value: Value) -> Reading | Exception:
    """Read a message (`read`, or `_classified` once parsed); a failure is returned, to be
    recorded by `_act` with the rest of the failures."""
    try:
        return reader(value)
    except Exception as error:
        return error


def _act(
    inbound: InboundMessage,
    reading: Reading | Exception,
    batch: _Batch | None = None,
    *,
    claimed: bool = False,
) -> InboundMessage:
    """Act on one message and record its outcome; returns `inbound` itself when it
    acted. `claimed`: the caller holds the message (see `_claim`) and records what it
    became; a failure is recorded here all the same."""
    inbound_id = inbound.pk
    try:
        if isinstance(reading, Exception):
            raise reading
        for attempt in range(1, ATTEMPTS + 1):
            try:
                _apply_and_record(inbound, reading, batch, record=not claimed)
                break
            except OperationalError as error:
                sqlstate = getattr(error.__cause__, "sqlstate", None)
                if attempt == ATTEMPTS or sqlstate not in TRY_AGAIN:
                    raise
                logger.warning("Inbound mail %s met %s; trying again", inbound_id, sqlstate)
        inbound.attempt_count += 1
        return inbound
    except _AlreadyProcessed:
        return InboundMessage.objects.defer("raw").get(pk=inbound_id)
    except Exception as error:  # record, never lose: retried by the worker or an admin
        _record_failure(inbound, error)
        return InboundMessage.objects.get(pk=inbound_id)


def _record_failure(inbound: InboundMessage, error: Exception) -> None:
    """Mark the message failed, with its error and traceback for the admin; a passing
    failure also with when the worker tries again (`retry_due`). The log gets one line:
    `mail ingest` writes it where the mail server keeps its delivery records. Should the
    database refuse this too, the error goes up and the message stays as it was, stored
    and waiting (`process_pending` takes it)."""
    retry_at = None
    if failures.is_passing(error):
        retry_at = failures.next_attempt_at(inbound.failure_count + 1, timezone.now())
        logger.warning(
            "Inbound mail %s stored, not processed yet (%s); retried at %s",
            inbound.pk,
            failures.summary(error),
            retry_at.isoformat(timespec="seconds"),
        )
    else:
        logger.error(
            "Processing inbound mail %s failed (%s); kept with its traceback for an admin "
            "to process again after a fix",
            inbound.pk,
            failures.summary(error),
        )
    trace = "".join(traceback.format_exception(error, limit=8))
    _still_waiting(inbound).update(
        status=Status.FAILED,
        reason="processing-failed",
        error=f"{type(error).__name__}: {error}\n\n{trace}"[:8000],
        next_attempt_at=retry_at,
        failure_count=F("failure_count") + 1,
    )


def _apply_and_record(
    inbound: InboundMessage,
    reading: Reading,
    batch: _Batch | None,
    *,
    record: bool,
) -> None:
    """`record`: False when the caller claimed the message and records the outcome."""
    with transaction.atomic():
        _apply(inbound, reading, batch)
        if not record:
            return
        # The outcome is written only while the message is still waiting: if another
        # worker recorded it first, this UPDATE (which waits for that worker's commit)
        # matches nothing and everything done here rolls back. The raw bytes are never
        # written again.
        outcome = {field: getattr(inbound, field) for field in OUTCOME_FIELDS}
        if not _still_waiting(inbound).update(attempt_count=F("attempt_count") + 1, **outcome):
            raise _AlreadyProcessed


def _still_waiting(inbound: InboundMessage) -> QuerySet[InboundMessage]:
    """The message, while nobody has recorded an outcome for it since it was read (a held
    message still waits to be processed again, so its attempt count must match too)."""
    return InboundMessage.objects.filter(
        pk=inbound.pk, status__in=TO_PROCESS, attempt_count=inbound.attempt_count
    )


# A deadlock or a serialization failure (PostgreSQL, when workers process batches that
# touch the same tickets in another order) is the database asking to try again: the
# message's savepoint is rolled back, and it is processed once more.
TRY_AGAIN = frozenset({"40P01", "40001"})
ATTEMPTS = 3

OUTCOME_FIELDS = (
    "next_attempt_at",
    "sender",
    "subject",
    "processed_at",
    "error",
    "status",
    "reason",
    "ticket",
    "ticket_message",
)


def _apply(inbound: InboundMessage, reading: Reading, batch: _Batch | None) -> None:
    """Act on the message and set its outcome on `inbound` (written by `process`)."""
    parsed, classification = reading.parsed, reading.classification
    inbound.sender = parsed.from_address[:254]
    inbound.subject = shorten_subject(parsed.subject, SUBJECT_LIMIT)
    inbound.processed_at = timezone.now()
    inbound.error = ""
    inbound.next_attempt_at = None
    inbound.ticket, inbound.ticket_message = None, None  # set again by this attempt's outcome
    if classification.is_bounce:
        mark_bounced(classification, parsed)
    try:
        sender = batch.senders.get(normalize_email(parsed.from_address)) if batch else None
        request = intake_request(inbound, reading, sender)
        result = submit_request(request, batch.threads if batch else None)
    except IntakeRefused as refusal:
        inbound.status, inbound.reason = Status.HELD, refusal.code
        _explain_hold(inbound, refusal.code, reading)
        return
    _set_outcome(inbound, result)
    if result.outcome == Outcome.HELD:
        _explain_hold(inbound, result.reason, reading)
    if result.ticket is not None and result.personal_data_first_found:
        _warn_about_personal_data(result.ticket)
    if result.outcome == Outcome.APPENDED and result.message is not None:
        _record_quote_decision(inbound, result, parsed)


def _set_outcome(inbound: InboundMessage, result: IntakeResult) -> None:
    inbound.ticket = result.ticket
    inbound.ticket_message = result.message
    if result.outcome == Outcome.DROPPED:
        inbound.status, inbound.reason = Status.DROPPED, result.reason
    elif result.outcome == Outcome.DUPLICATE:
        inbound.status, inbound.reason = Status.DUPLICATE, "duplicate"
    elif result.outcome == Outcome.HELD:
        # A ticket exists, held for staff to accept: accepted in the desk, not here.
        inbound.status, inbound.reason = Status.PROCESSED, f"held {result.reason}"
    else:
        inbound.status, inbound.reason = Status.PROCESSED, result.outcome.value


def intake_request(
    inbound: InboundMessage, reading: Reading, sender: User | None = None
) -> IntakeRequest:
    """`sender`: the contact with the From address, when the caller has read it already."""
    parsed, classification = reading.parsed, reading.classification
    mailbox = mailbox_of(inbound) or mailbox_for(parsed, inbound.envelope_recipient)
    files, left_out = _files(parsed)
    ours = reading.own_addresses
    own_id, *references = _thread_keys(inbound, parsed)
    return IntakeRequest(
        channel=Ticket.Channel.EMAIL,
        subject=parsed.subject,
        body_text=parsed.body_text,
        reply_text=parsed.reply_text,
        body_html=parsed.body_html if not parsed.in_reply_to else "",
        requester=sender,
        requester_email=parsed.from_address,
        requester_name=parsed.from_name,
        cc_emails=[a.address for a in parsed.cc if normalize_email(a.address) not in ours],
        files=files,
        left_out_files=left_out,
        # As declared; a new contact's is guessed from the text only when intake creates
        # one (most mail comes from known contacts).
        language=declared_language(parsed),
        message_id=own_id,
        references=references,
        ticket_numbers=_ticket_numbers(inbound, parsed),
        automatic=classification.reason if classification.kind != "normal" else "",
        may_acknowledge=classification.should_auto_reply,
        team=mailbox.team if mailbox else None,
        category=mailbox.category if mailbox else None,
        mailbox_id=mailbox.pk if mailbox else None,
        acute=mentions_acute(parsed.subject),
    )


def _ticket_numbers(inbound: InboundMessage, parsed: ParsedEmail) -> list[str]:
    """The ticket numbers the message names: in its subject, or as a plus address."""
    recipients = [inbound.envelope_recipient, *(a.address for a in (*parsed.to, *parsed.cc))]
    return [
        *find_ticket_numbers(parsed.subject, our_prefix(), ignore_case=True),
        *(n for r in recipients for n in plus_numbers(r)),
    ]


def _files(parsed: ParsedEmail) -> tuple[list[IncomingFile], list[str]]:
    """Attachments within the limits, and the names of those left in the original e-mail."""
    limit = int(settings.TIKETTI_MAX_ATTACHMENT_BYTES)
    files: list[IncomingFile] = []
    left_out: list[str] = []
    for attachment in parsed.attachments:
        too_many = len(files) >= settings.TIKETTI_MAX_ATTACHMENTS
        if len(attachment.content) > limit or too_many:
            left_out.append(attachment.filename)
            continue
        files.append(
            IncomingFile(
                name=attachment.filename,
                content=attachment.content,
                declared_type=attachment.content_type,
                content_id=attachment.content_id,
            )
        )
    return files, left_out


def _record_quote_decision(
    inbound: InboundMessage, result: IntakeResult, parsed: ParsedEmail
) -> None:
    """A reply carrying "I approve TK-1001-Q1" is a written approval, recorded as such."""
    assert result.ticket is not None and result.message is not None
    try:
        quote = decide_by_email(
            ticket=result.ticket,
            sender=result.message.author,
            text=parsed.reply_text or parsed.body_text,
            from_address=parsed.from_address,
        )
    except TicketError as refusal:  # expired, decided, not a main user: the reply stays
        inbound.reason = f"quote {refusal.code}"[:60]
        return
    if quote is not None:
        inbound.reason = f"quote {quote.status}"


def mark_bounced(classification: Classification, parsed: ParsedEmail) -> None:
    """Remember on the contact that mail to them failed, and on our e-mail that came back
    (the ticket shows it as failed), so staff see it."""
    failed = [normalize_email(a) for a in classification.failed_recipients]
    codes = ", ".join(classification.status_codes) or "bounced"
    if failed:
        User.objects.filter(email__in=failed).update(
            email_failed_at=timezone.now(), email_failure=codes[:100]
        )
    returned = _returned_message_ids(parsed)
    if returned:
        OutgoingEmail.objects.filter(message_id__in=returned).update(
            status=OutgoingEmail.Status.FAILED,
            last_error=f"Returned by the recipient's mail server: {codes} "
            f"({', '.join(failed) or 'recipient not named'})"[:2000],
        )


_RETURNED_TYPES = frozenset(
    {
        "message/rfc822",
        "text/rfc822-headers",
        "message/rfc822-headers",
        "message/global",
        "message/global-headers",
    }
)
_MESSAGE_ID_HEADER = re.compile(
    rb"^Message-ID:[ \t]*<([^>\s]{1,250})>", re.IGNORECASE | re.MULTILINE
)


def _returned_message_ids(parsed: ParsedEmail) -> list[str]:
    """The Message-IDs of the messages a bounce returns (its attached original or headers)."""
    return [
        found.decode("ascii", "replace")
        for attachment in parsed.attachments
        if attachment.content_type in _RETURNED_TYPES
        for found in _MESSAGE_ID_HEADER.findall(attachment.content[:65536])
    ]


def _warn_about_personal_data(ticket: Ticket) -> None:
    """Intake flagged the ticket for identity codes the first time: ask the sender, once,
    to use the portal for such data instead of e-mail."""
    from .tasks import warn_about_personal_data

    # robust: a failed enqueue is logged; it must not mark the message failed.
    transaction.on_commit(partial(warn_about_personal_data.enqueue, ticket.pk), robust=True)


def _explain_hold(inbound: InboundMessage, reason: str, reading: Reading) -> None:
    """Queue the sender's explanation, in the language they wrote in, unless a machine
    wrote the mail, the hold is one we do not explain (see
    `notifications.HOLD_EXPLANATIONS`) or they had it already."""
    from .notifications import HOLD_EXPLANATIONS
    from .tasks import explain_held_message

    first_time = inbound.attempt_count == 0  # processing it again tells them nothing new
    if reading.classification.should_auto_reply and reason in HOLD_EXPLANATIONS and first_time:
        language = sender_language(reading.parsed)
        # robust: a failed enqueue is logged; it must not mark the message failed.
        transaction.on_commit(
            partial(explain_held_message.enqueue, inbound.pk, reason, language), robust=True
        )


def retry_failed(limit: int = 500) -> int:
    """Process again every message that failed (after a fix); returns how many."""
    return _process_in_arrival_order(Status.FAILED, limit)


def process_pending(limit: int | None = 500) -> int:
    """Process messages stored but not yet processed (after a crash, or a busy queue);
    `limit` None: all that are waiting now."""
    return _process_in_arrival_order(Status.STORED, limit)


def retry_due(limit: int = 500) -> int:
    """Process again the messages that failed for a passing reason (the database) and
    whose time to try again has come (the periodic job `retry-failed-mail`)."""
    return _process_in_arrival_order(Status.FAILED, limit, InboundMessage.objects.due_for_retry())


def _process_in_arrival_order(
    status: str,
    limit: int | None,
    among: QuerySet[InboundMessage] | None = None,
    batch: int = 50,
) -> int:
    """Oldest first (a reply must come after the request it answers), a batch at a time,
    the next batch parsed meanwhile when there is more than one."""
    waiting = (among if among is not None else InboundMessage.objects).filter(status=status)
    waiting = waiting.order_by("pk")
    ids = list(waiting.values_list("pk", flat=True)[:limit])
    batches = list(itertools.batched(ids, batch))
    if len(batches) > 1:
        # a message another worker held since the ids were read is not ours to redo
        for _done in process_batches(batches, [status]):
            pass
    elif batches:
        process_many(batches[0], [status])
    return len(ids)


def describe(inbound: InboundMessage) -> str:
    """The one-line outcome `tiketti mail ingest` prints."""
    if inbound.reason.startswith("held "):
        return inbound.reason
    if inbound.status in (Status.PROCESSED, Status.DUPLICATE) and inbound.ticket is not None:
        return inbound.ticket.number
    if inbound.status == Status.DROPPED:
        return f"dropped {inbound.reason}"
    if inbound.status == Status.STORED:
        return "held queued"
    if inbound.will_retry:
        assert inbound.next_attempt_at is not None
        retry_at = inbound.next_attempt_at.astimezone(UTC).isoformat(timespec="seconds")
        return f"held retry-later (stored; processed again automatically at {retry_at})"
    return f"held {inbound.reason or inbound.status}"


__all__ = [
    "Delivery",
    "TicketError",
    "describe",
    "mailbox_at",
    "peek_message_id",
    "process",
    "process_many",
    "process_pending",
    "queue_processing",
    "retry_due",
    "retry_failed",
    "store_deliveries",
    "store_each",
    "store_many",
    "store_raw",
]
