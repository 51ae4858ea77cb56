"""The LMTP (or SMTP) listener: the mail server hands each message over a socket.

A message is acknowledged with 250 only after its raw bytes are committed and synced to
disk by `inbound.store_deliveries`; when storing fails the answer is 451, so the mail
server keeps the message and tries again. Parsing and ticket work happen afterwards, in
the task queue.

aiosmtpd runs the protocol on an asyncio loop in its own thread. The database is
synchronous, so every database call runs in one dedicated worker thread that owns its
connection (SQLite takes one writer at a time anyway). Mail servers deliver over several
connections at once: whatever arrives while one commit is being synced goes into the
next commit together (group commit), so the sessions share the cost of the disk sync.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, AnyStr

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.db import close_old_connections, connections

from . import inbound
from .models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)

# Most providers cap messages at 25 MB; a larger one is refused (552) rather than
# buffered without limit. The limit is announced in the LHLO/EHLO SIZE extension.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
IDLE_TIMEOUT_SECONDS = 300
# At most this many messages, and this many bytes (but always one message), share a commit.
GROUP_SIZE = 50
GROUP_BYTES = 32 * 1024 * 1024
TEMPORARY_FAILURE = "451 4.3.0 Message not stored, try again later"


class IntakeHandler:
    """aiosmtpd handler: accept recipients we have a mailbox for, store each message once."""

    def __init__(self, *, any_recipient: bool = False, one_reply_per_recipient: bool = True):
        self.any_recipient = any_recipient
        self.one_reply_per_recipient = one_reply_per_recipient
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiketti-lmtp-db")
        # Messages whose DATA arrived and that wait for the next commit, with the future
        # their session awaits; and whether a commit is under way (all on the loop).
        self._waiting: list[tuple[bytes, list[str], asyncio.Future[str]]] = []
        self._committing: asyncio.Task[None] | None = None

    async def _run[Result](self, function: Callable[..., Result], *args: Any) -> Result:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._database, partial(function, *args))

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        try:
            mailbox, _ = await self._run(_with_fresh_connection, match_recipient, [address])
        except Exception:
            logger.exception("Cannot look up the mailbox for %s", address)
            return "451 4.3.0 Cannot check the recipient now, try again later"
        if mailbox is None and not self.any_recipient:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Any, envelope: Any
    ) -> str:
        recipients = list(envelope.rcpt_tos)
        stored: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.append((envelope.original_content, recipients, stored))
        if self._committing is None:
            self._committing = asyncio.create_task(self._commit_waiting())
        reply = await stored
        # LMTP (RFC 2033 §4.2) answers DATA once per accepted recipient; the message is
        # stored once, so every recipient gets the same answer.
        count = len(recipients) if self.one_reply_per_recipient else 1
        return "\r\n".join([reply] * count)

    async def _commit_waiting(self) -> None:
        """Store what waits, a group per commit, until nothing does."""
        try:
            while self._waiting:
                group = self._next_group()
                try:
                    replies = await self._run(
                        _with_fresh_connection, deliver_many, [(raw, to) for raw, to, _ in group]
                    )
                except Exception:  # deliver_many answers failures itself; this is a bug
                    logger.exception("Storing a group of inbound messages failed")
                    replies = [TEMPORARY_FAILURE] * len(group)
                for (_raw, _to, stored), reply in zip(group, replies, strict=True):
                    if not stored.done():  # its session may have gone meanwhile
                        stored.set_result(reply)
        finally:
            self._committing = None

    def _next_group(self) -> list[tuple[bytes, list[str], asyncio.Future[str]]]:
        """The oldest waiting messages: at most GROUP_SIZE of them and GROUP_BYTES in all,
        but always at least one."""
        size = count = 0
        for raw, _to, _stored in self._waiting[:GROUP_SIZE]:
            if count and size + len(raw) > GROUP_BYTES:
                break
            size, count = size + len(raw), count + 1
        group = self._waiting[:count]
        del self._waiting[:count]
        return group

    def close(self) -> None:
        """Close the worker thread's database connection, then the thread."""
        self._database.submit(connections.close_all).result()
        self._database.shutdown(wait=True)


def deliver_many(messages: Sequence[tuple[bytes, Sequence[str]]]) -> list[str]:
    """Store messages, each for its recipients, in one commit (one by one should that
    fail); the SMTP reply for each. Whatever keeps a message out (database down, disk
    full, a bug), the answer is 451: the mail server keeps it and retries, where a 5xx
    would bounce it and the sender may never resend."""
    try:
        deliveries = [
            inbound.Delivery(raw, *match_recipient(recipients)) for raw, recipients in messages
        ]
    except Exception:
        logger.exception("Cannot look up the mailboxes; the mail server will retry")
        return [TEMPORARY_FAILURE] * len(messages)
    results = inbound.store_each(deliveries, via=InboundMessage.Via.LMTP)
    for row, created in (result for result in results if not isinstance(result, Exception)):
        logger.info("Stored inbound message %s (%s)", row.pk, "new" if created else "known")
    return [
        TEMPORARY_FAILURE
        if isinstance(result, Exception)
        else f"250 2.0.0 Stored as message {result[0].pk}"
        for result in results
    ]


def match_recipient(recipients: Sequence[str]) -> tuple[Mailbox | None, str]:
    """The active mailbox of the first recipient that has one, and that recipient as
    written (plus addresses count as their base: support+AB-12@ is support@, and the
    ticket number in it still threads). Without a mailbox: (None, the first recipient)."""
    for recipient in recipients:
        mailbox = inbound.mailbox_at(recipient)
        if mailbox is not None:
            return mailbox, recipient
    return None, recipients[0] if recipients else ""


def _with_fresh_connection[Result](function: Callable[..., Result], *args: Any) -> Result:
    # The listener lives for weeks: drop a connection the database closed or that is past
    # CONN_MAX_AGE, as Django does around each web request.
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


class _LMTPServer(LMTP):
    """aiosmtpd answers a refused DATA (too large, line too long) once; an LMTP client
    waits for one reply per recipient and would hang, so repeat the refusal."""

    REFUSALS = {
        "552 Error: Too much mail data": "552 5.3.4 Message too large",
        # MAIL FROM ... SIZE=n over the limit: one reply, as for any MAIL command.
        "552 Error: message size exceeds fixed maximum message size": (
            "552 5.3.4 Message size exceeds the maximum"
        ),
        "500 Line too long (see RFC5321 4.5.3.1.6)": "500 5.5.2 Line too long",
    }

    async def push(self, status: AnyStr) -> None:
        refusal = self.REFUSALS.get(status) if isinstance(status, str) else None
        if refusal is None or self.envelope is None:
            await super().push(status)
            return
        for _ in range(max(1, len(self.envelope.rcpt_tos))):
            await super().push(refusal)


class IntakeController(Controller):
    """The listener in a background thread: `start()`, then `stop()`."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        smtp: bool = False,
        any_recipient: bool = False,
        max_message_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        self.intake = IntakeHandler(any_recipient=any_recipient, one_reply_per_recipient=not smtp)
        self.protocol: type[SMTP] = SMTP if smtp else _LMTPServer
        super().__init__(
            self.intake,
            hostname=host,
            port=port,
            data_size_limit=max_message_bytes,
            ident="Tiketti",
            timeout=IDLE_TIMEOUT_SECONDS,
            enable_SMTPUTF8=True,
        )

    def factory(self) -> SMTP:
        return self.protocol(self.handler, **self.SMTP_kwargs)

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert=no_assert)
        self.intake.close()
