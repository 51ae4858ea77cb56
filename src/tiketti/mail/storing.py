"""Storing what transports hand over: the raw bytes, committed (and synced) before anything
parses them.

Once `store_raw` returns, a message is durable and everything after it can fail, be
retried, and still never lose it. "Already stored" is decided by the message itself,
never by its Message-ID alone:
- the same bytes again (a retried delivery) are the stored message;
- the same Message-ID with the same content (the same mail through another door: IMAP and
  LMTP add their own trace headers) is the stored message too;
- the same Message-ID with other content (a broken mailer, or a stranger who copied the ID
  from a References header) is a message of its own: stored, judged on its own merits when
  processed, and linked to the earlier one (`reuses_message_id_of`).
"""

from __future__ import annotations

import hashlib
import logging
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import partial
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Q

from tiketti.operations.task_backend import waiting_to_start

from .models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)

# The headers its writer's mail program wrote, which no server on the way changes; trace
# headers (Received, Return-Path, Delivered-To, X-Original-To, spam scores…) differ from
# door to door and are left out of a message's content.
AUTHORED_HEADERS = frozenset(
    {
        "from",
        "sender",
        "reply-to",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)
HEADER_LIMIT = 65536


class Identity(NamedTuple):
    """What says whether a message is one stored before: its bytes' hash and its
    Message-ID."""

    digest: str
    message_id: str


def identify(raw: bytes) -> Identity:
    digest = hashlib.sha256(raw).hexdigest()
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:HEADER_LIMIT])
        message_id = str(headers.get("Message-ID", "") or "").strip().strip("<>").strip()[:250]
    except Exception:  # malformed headers: known by its bytes alone
        return Identity(digest, "")
    return Identity(digest, message_id)


def content_fingerprint(raw: bytes) -> str:
    """A hash of the headers its writer wrote and of its body: the same whichever door
    the message came through. Worked out only when a stored message has its Message-ID
    (rare), so the usual message pays nothing for it."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:HEADER_LIMIT])
        authored = [
            f"{name.lower()}:{' '.join(str(value).split())}\n"
            for name, value in headers.items()
            if name.lower() in AUTHORED_HEADERS
        ]
    except Exception:  # malformed headers: only the same bytes are the same message
        return hashlib.sha256(raw).hexdigest()
    content = hashlib.sha256("".join(authored).encode("utf-8", "surrogateescape"))
    content.update(b"\n")
    content.update(_body(raw).replace(b"\r\n", b"\n").rstrip(b"\n"))
    return content.hexdigest()


def _body(raw: bytes) -> bytes:
    """What follows the header block (the first empty line), whatever its line ends."""
    ends = [(at, len(mark)) for mark in (b"\r\n\r\n", b"\n\n") if (at := raw.find(mark)) >= 0]
    if not ends:
        return b""
    at, length = min(ends)
    return raw[at + length :]


def peek_message_id(raw: bytes) -> str:
    """The Message-ID from the headers alone (cheap: the body is not parsed)."""
    return identify(raw).message_id


def store_raw(
    raw: bytes, *, via: str, mailbox: Mailbox | None = None, envelope_recipient: str = ""
) -> tuple[InboundMessage, bool]:
    """Commit the raw message; returns (row, created). A message already stored (the same
    bytes, or the same Message-ID and content from another transport) is not stored again."""
    return store_deliveries([Delivery(raw, mailbox, envelope_recipient)], via=via)[0]


@dataclass(frozen=True)
class Delivery:
    """One message as a transport handed it over: its bytes and where it was sent."""

    raw: bytes
    mailbox: Mailbox | None = None
    envelope_recipient: str = ""


class _Arrival(NamedTuple):
    delivery: Delivery
    identity: Identity


def store_many(
    raws: Sequence[bytes], *, via: str, mailbox: Mailbox | None = None, envelope_recipient: str = ""
) -> list[tuple[InboundMessage, bool]]:
    """Commit a batch of raw messages sent to one place (a mailbox poll, an import); see
    `store_deliveries`."""
    return store_deliveries([Delivery(raw, mailbox, envelope_recipient) for raw in raws], via=via)


def store_deliveries(
    deliveries: Sequence[Delivery], *, via: str
) -> list[tuple[InboundMessage, bool]]:
    """Commit a batch of messages in one transaction that is synced to disk once; returns
    (row, created) for each, in order. Copies within the batch and of stored messages
    are not stored again. Should another transport store one of them meanwhile, the batch
    is stored message by message instead."""
    arrivals = [_Arrival(delivery, identify(delivery.raw)) for delivery in deliveries]
    try:
        return _commit(arrivals, via)
    except IntegrityError:  # some arrived concurrently through another door: each again,
        # on its own, now finds its stored copy
        return [_commit([one], via)[0] for one in arrivals]


def store_each(
    deliveries: Sequence[Delivery], *, via: str
) -> list[tuple[InboundMessage, bool] | Exception]:
    """What a transport (IMAP, LMTP) calls: as `store_deliveries`, but should the batch
    fail, each message is stored on its own, so one that cannot be stored never holds
    back the others; then their processing is queued (`queue_processing`). For each
    delivery: (row, created), or the error that kept it out."""
    results: list[tuple[InboundMessage, bool] | Exception] = []
    if len(deliveries) > 1:
        try:
            results = list(store_deliveries(deliveries, via=via))
        except Exception:
            logger.exception("A batch of %d messages not stored; one by one", len(deliveries))
    results = results or [_store_alone(delivery, via) for delivery in deliveries]
    queue_processing([result[0] for result in results if not isinstance(result, Exception)])
    return results


def _store_alone(delivery: Delivery, via: str) -> tuple[InboundMessage, bool] | Exception:
    try:
        return store_deliveries([delivery], via=via)[0]
    except Exception as error:
        logger.exception("Inbound message not stored")
        return error


def _commit(arrivals: list[_Arrival], via: str) -> list[tuple[InboundMessage, bool]]:
    with _synced_commit(), transaction.atomic():
        return _store_new(arrivals, via)


class _Stored:
    """The messages a batch could be a copy of: stored ones, then the batch's own."""

    def __init__(self, arrivals: list[_Arrival]) -> None:
        digests = {arrival.identity.digest for arrival in arrivals}
        message_ids = {arrival.identity.message_id for arrival in arrivals} - {""}
        same = Q(sha256__in=digests) | Q(message_id__in=message_ids) if message_ids else None
        self.by_digest: dict[str, InboundMessage] = {}
        self.by_message_id: dict[str, list[InboundMessage]] = {}
        self._fingerprints: dict[str, str] = {}  # worked out so far, by the bytes' hash
        stored = InboundMessage.objects.filter(same if same is not None else Q(sha256__in=digests))
        if not stored.exists():  # the usual case: no columns to read
            return
        for copy in stored.defer("raw").order_by("pk"):
            self.add(copy)

    def add(self, row: InboundMessage) -> None:
        self.by_digest[row.sha256] = row
        if row.message_id:
            self.by_message_id.setdefault(row.message_id, []).append(row)

    def copy_of(self, arrival: _Arrival) -> InboundMessage | None:
        identity = arrival.identity
        found = self.by_digest.get(identity.digest)
        if found is not None or not identity.message_id:
            return found
        same_id = self.by_message_id.get(identity.message_id, ())
        return next((row for row in same_id if self._same_content(arrival, row)), None)

    def _same_content(self, arrival: _Arrival, row: InboundMessage) -> bool:
        """Whether `row` (with its Message-ID) is this message through another door."""
        return self._fingerprint(row.sha256, lambda: bytes(row.raw)) == self._fingerprint(
            arrival.identity.digest, lambda: arrival.delivery.raw
        )

    def _fingerprint(self, digest: str, raw: Callable[[], bytes]) -> str:
        if digest not in self._fingerprints:
            self._fingerprints[digest] = content_fingerprint(raw())
        return self._fingerprints[digest]

    def first_with_id(self, message_id: str) -> InboundMessage | None:
        same_id = self.by_message_id.get(message_id) if message_id else None
        return same_id[0] if same_id else None


def _store_new(arrivals: list[_Arrival], via: str) -> list[tuple[InboundMessage, bool]]:
    stored = _Stored(arrivals)
    results: list[tuple[InboundMessage, bool]] = []
    new: list[InboundMessage] = []
    # A new message reusing the Message-ID of one earlier in this batch: linked once both
    # have their keys.
    linked_later: list[tuple[InboundMessage, InboundMessage]] = []
    for arrival in arrivals:
        delivery, identity = arrival
        copy = stored.copy_of(arrival)
        if copy is not None:
            results.append((copy, False))  # stored before, or earlier in this batch
            continue
        earlier = stored.first_with_id(identity.message_id)
        row = InboundMessage(
            raw=delivery.raw,
            sha256=identity.digest,
            message_id=identity.message_id,
            via=via,
            mailbox=delivery.mailbox,
            envelope_recipient=delivery.envelope_recipient[:254],
            size=len(delivery.raw),
        )
        if earlier is not None and earlier.pk is not None:
            row.reuses_message_id_of = earlier
        elif earlier is not None:
            linked_later.append((row, earlier))
        if earlier is not None:
            logger.warning(
                "A different message reuses the Message-ID <%s>; stored as a message of its own",
                identity.message_id,
            )
        new.append(row)
        stored.add(row)
        results.append((row, True))
    InboundMessage.objects.bulk_create(new)
    for row, earlier in linked_later:
        row.reuses_message_id_of = earlier
    if linked_later:
        InboundMessage.objects.bulk_update(
            [row for row, _ in linked_later], ["reuses_message_id_of"]
        )
    return results


@contextmanager
def _synced_commit() -> Iterator[None]:
    """Have the commit inside reach the disk before a transport says "stored".

    SQLite runs with synchronous=NORMAL: its log is synced only at checkpoints, which
    survives a crash of Tiketti but not a power cut. The raw message is the one write that
    must survive that too (the sender deletes its copy once we have it), so its commit
    runs with synchronous=FULL. PostgreSQL syncs every commit already.
    """
    connection = transaction.get_connection()
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield  # an outer transaction's commit is the one that counts
        return
    with connection.cursor() as cursor:
        previous = _synchronous_level(connection, cursor)
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={previous}")


# The level each SQLite connection was opened with (settings: NORMAL), read once per
# connection rather than before every commit: (the driver's connection, its level).
_opened_with: weakref.WeakKeyDictionary[BaseDatabaseWrapper, tuple[object, int]] = (
    weakref.WeakKeyDictionary()
)


def _synchronous_level(connection: BaseDatabaseWrapper, cursor: CursorWrapper) -> int:
    known = _opened_with.get(connection)
    if known is not None and known[0] is connection.connection:
        return known[1]
    cursor.execute("PRAGMA synchronous")
    level = int(cursor.fetchone()[0])
    _opened_with[connection] = (connection.connection, level)
    return level


def queue_processing(rows: Sequence[InboundMessage]) -> None:
    """After commit, queue a task to process the messages a transport stored together
    (an LMTP group, an IMAP poll), unless one is queued and not started yet: that one
    processes every message waiting when it starts, these too, so under a backlog
    hundreds of groups need not queue hundreds of tasks. Robust: the messages are safely
    stored; a failed enqueue is logged, and the periodic job `process-stored-mail` takes
    them."""
    stored = InboundMessage.Status.STORED
    waiting = list(dict.fromkeys(row.pk for row in rows if row.status == stored))
    if waiting:
        transaction.on_commit(partial(_queue_unless_one_waits, waiting), robust=True)


def _queue_unless_one_waits(ids: list[int]) -> None:
    from .tasks import process_inbound_messages

    if not waiting_to_start(process_inbound_messages):
        process_inbound_messages.enqueue(ids)
