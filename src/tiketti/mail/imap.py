"""Fetching mail from IMAP mailboxes, each on its own, and noticing when one stalls.

A message is marked on the server only after `inbound.store_raw` has committed its raw
bytes; if anything fails in between, the next pass fetches it again and the stored copy
dedupes it. Marking uses the keyword `$TikettiStored` where the server allows keywords
(people reading the mailbox cannot hide a message from us by opening it); servers without
keywords (Microsoft 365) get `\\Seen` and an UNSEEN search instead.

Fetching only stores; processing runs in the task queue like every other transport.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import LoginError

from . import inbound, oauth
from .models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)
IMAP = InboundMessage.Via.IMAP

STORED_KEYWORD = "$TikettiStored"
# A hung or trickling server must not hold the poller: connect and every read time out.
CONNECT_TIMEOUT_SECONDS = 15.0
READ_TIMEOUT_SECONDS = 60.0
# Bound one pass (the rest comes next minute) and the memory one FETCH may take.
MAX_MESSAGES_PER_PASS = 500
BATCH_MAX_MESSAGES = 25
BATCH_MAX_BYTES = 16 * 1024 * 1024
STARTTLS_PORTS = frozenset({143})
# No successful fetch for this long: the mailbox is reported as stalled.
STALL_AFTER = timedelta(minutes=15)
# pg_try_advisory_lock(namespace, mailbox id): one poller per mailbox across workers.
LOCK_NAMESPACE = 0x54494B  # "TIK"

TlsMode = Literal["implicit", "starttls", "none"]


@dataclass
class FetchResult:
    """What one pass over one mailbox did."""

    mailbox: str
    stored_count: int = 0
    known_count: int = 0  # already stored (fetched before, or arrived by another door)
    failures: list[str] = field(default_factory=list)  # messages left on the server
    error: str = ""  # the mailbox itself failed: connection, sign-in, folder
    is_busy: bool = False  # another poller has it right now

    def __str__(self) -> str:
        if self.error:
            return f"{self.mailbox}: failed: {self.error}"
        if self.is_busy:
            return f"{self.mailbox}: skipped, another fetch is running"
        return (
            f"{self.mailbox}: {self.stored_count} stored, {self.known_count} already stored, "
            f"{len(self.failures)} failed"
        )

    def failure_summary(self) -> str:
        if not self.failures:
            return ""
        return (
            f"{len(self.failures)} message(s) could not be stored; they stay on the server "
            "and are tried again: " + "; ".join(self.failures)
        )[:4000]


@dataclass(frozen=True)
class Marker:
    """How stored messages are marked on this server, and how to find the others."""

    flag: str
    unstored: tuple[str, ...]


def polled_mailboxes() -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(is_active=True).exclude(imap_host="")


def fetch_all(names: Sequence[str] = ()) -> list[FetchResult]:
    """Poll every active IMAP mailbox once (or those named): the periodic job.

    A broken mailbox is recorded on its row and never stops the others."""
    mailboxes = polled_mailboxes()
    if names:
        mailboxes = mailboxes.filter(Q(name__in=names) | Q(address__in=names))
    results = [fetch_mailbox(mailbox) for mailbox in mailboxes]
    report_stalled()
    return results


def fetch_mailbox(mailbox: Mailbox) -> FetchResult:
    """One pass over one mailbox, its outcome recorded on the mailbox. Whatever goes wrong
    with the mailbox (server, sign-in, folder) is returned in the result, not raised.

    Must run outside a transaction: a message is marked on the server only after its raw
    copy is committed, which inside an outer transaction would not yet be true."""
    if connection.in_atomic_block:
        raise TransactionManagementError("fetch mail outside a transaction")
    result = FetchResult(mailbox.name)
    with _exclusive(mailbox) as claimed:
        if not claimed:
            result.is_busy = True
            return result
        Mailbox.objects.filter(pk=mailbox.pk).update(last_fetch_started_at=timezone.now())
        try:
            _fetch(mailbox, result)
        except Exception as error:  # anything this mailbox does wrong stays with it
            logger.exception("Fetching mail for mailbox %s failed", mailbox.name)
            result.error = describe_error(error)
        _record(mailbox, result)
    return result


def _record(mailbox: Mailbox, result: FetchResult) -> None:
    if result.error:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_fetch_error=result.error)
    else:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_fetch_succeeded_at=timezone.now(), last_fetch_error=result.failure_summary()
        )


def _fetch(mailbox: Mailbox, result: FetchResult) -> None:
    """Store what is new and mark it; counts go into `result` as they happen, so a pass
    that breaks off half-way still reports what it stored."""
    with connect(mailbox) as client:
        log_in(client, mailbox)
        marker = choose_marker(client.select_folder(mailbox.imap_folder))
        uids = sorted(client.search(list(marker.unstored)))[:MAX_MESSAGES_PER_PASS]
        sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        for batch in batches(uids, {uid: _size(data) for uid, data in sizes.items()}):
            stored = _store_batch(client, mailbox, batch, result)
            if stored:  # committed: now, and only now, mark them on the server
                client.add_flags(stored, [marker.flag], silent=True)


def _size(data: dict[bytes, object]) -> int:
    value = data.get(b"RFC822.SIZE", 0)
    return value if isinstance(value, int) else 0


def _store_batch(
    client: IMAPClient, mailbox: Mailbox, uids: list[int], result: FetchResult
) -> list[int]:
    """Store the batch in one commit (message by message if that fails, so one bad
    message never stops the rest); the UIDs that are now safely stored."""
    fetched = client.fetch(uids, ["BODY.PEEK[]"])  # PEEK: fetching must not mark it read
    raws: dict[int, bytes] = {}
    for uid in uids:
        raw = fetched.get(uid, {}).get(b"BODY[]")
        if isinstance(raw, bytes):
            raws[uid] = raw
        else:
            result.failures.append(f"UID {uid}: the server sent no message content")
    deliveries = [inbound.Delivery(raw, mailbox) for raw in raws.values()]
    stored: dict[int, tuple[InboundMessage, bool]] = {}
    for uid, outcome in zip(raws, inbound.store_each(deliveries, via=IMAP), strict=True):
        if isinstance(outcome, Exception):
            result.failures.append(f"UID {uid}: {describe_error(outcome)}")
        else:
            stored[uid] = outcome
    for _row, created in stored.values():
        if created:
            result.stored_count += 1
        else:
            result.known_count += 1
    return list(stored)


def batches(uids: Sequence[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Consecutive groups of UIDs, each small enough to fetch in one command."""
    batch: list[int] = []
    batch_bytes = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (len(batch) >= BATCH_MAX_MESSAGES or batch_bytes + size > BATCH_MAX_BYTES):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(uid)
        batch_bytes += size
    if batch:
        yield batch


def choose_marker(folder: dict[bytes, object]) -> Marker:
    """Our own keyword where the server keeps keywords (`\\*` in PERMANENTFLAGS)."""
    permanent = folder.get(b"PERMANENTFLAGS", ())
    flags = permanent if isinstance(permanent, tuple | list) else ()
    if b"\\*" in flags or STORED_KEYWORD.encode() in flags:
        return Marker(STORED_KEYWORD, ("NOT", "KEYWORD", STORED_KEYWORD, "NOT", "DELETED"))
    return Marker("\\Seen", ("UNSEEN", "NOT", "DELETED"))


def tls_mode(*, port: int, use_tls: bool) -> TlsMode:
    """Port 143 upgrades with STARTTLS; any other port with TLS on speaks TLS at once."""
    if not use_tls:
        return "none"
    return "starttls" if port in STARTTLS_PORTS else "implicit"


def connect(mailbox: Mailbox) -> IMAPClient:
    mode = tls_mode(port=mailbox.imap_port, use_tls=mailbox.imap_tls)
    context = ssl.create_default_context()  # verifies the certificate and the host name
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=mode == "implicit",
        ssl_context=context,
        timeout=SocketTimeout(connect=CONNECT_TIMEOUT_SECONDS, read=READ_TIMEOUT_SECONDS),
    )
    if mode == "starttls":
        try:
            client.starttls(context)
        except Exception:
            client.shutdown()
            raise
    return client


def log_in(client: IMAPClient, mailbox: Mailbox) -> None:
    user = mailbox.imap_username or mailbox.address
    if mailbox.auth_method != Mailbox.AuthMethod.OAUTH2:
        client.login(user, mailbox.imap_password)
        return
    token, refreshed = oauth.access_token(mailbox)
    try:
        client.oauth2_login(user, token)
    except LoginError:
        if refreshed:
            raise
        # A stored token can die before its expiry (password change, admin revocation):
        # one refresh and one more try before calling the mailbox broken.
        client.oauth2_login(user, oauth.refresh_access_token(mailbox))


@contextmanager
def _exclusive(mailbox: Mailbox) -> Iterator[bool]:
    """Only one poller per mailbox, across workers and machines: a PostgreSQL advisory
    lock, released with the connection if the poller dies. SQLite means one machine and
    usually one worker; an overlap there costs only time, as stored copies dedupe."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, mailbox.pk])
        claimed = bool(cursor.fetchone()[0])
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, mailbox.pk])


def describe_error(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return f"the server did not answer in time ({error or 'timed out'})"
    text = str(error)
    if isinstance(error, LoginError):
        text = text.removeprefix("b'").removeprefix('b"').rstrip("'\"")
    return f"{type(error).__name__}: {text}"[:2000]


@dataclass(frozen=True)
class MailboxProblem:
    """A polled mailbox that needs an administrator: stalled, or its last fetch failed."""

    mailbox: Mailbox
    is_stalled: bool


def mailbox_problems(now: datetime | None = None) -> list[MailboxProblem]:
    """Active IMAP mailboxes with no successful fetch within STALL_AFTER (the poller is
    down, or every try fails) or whose last fetch reported an error."""
    cutoff = (now or timezone.now()) - STALL_AFTER
    stalled = Q(last_fetch_succeeded_at__isnull=True) | Q(last_fetch_succeeded_at__lt=cutoff)
    return [
        MailboxProblem(
            mailbox,
            is_stalled=mailbox.last_fetch_succeeded_at is None
            or mailbox.last_fetch_succeeded_at < cutoff,
        )
        for mailbox in polled_mailboxes().filter(stalled | ~Q(last_fetch_error=""))
    ]


def report_stalled(now: datetime | None = None) -> list[MailboxProblem]:
    """Log an error for each stalled mailbox (monitoring watches the log); returns them."""
    stalled = [problem for problem in mailbox_problems(now) if problem.is_stalled]
    for problem in stalled:
        mailbox = problem.mailbox
        logger.error(
            "Mailbox %s <%s> has not fetched mail since %s: %s",
            mailbox.name,
            mailbox.address,
            mailbox.last_fetch_succeeded_at or "it was set up",
            mailbox.last_fetch_error or "no fetch has run (is `tiketti worker` running?)",
        )
    return stalled
