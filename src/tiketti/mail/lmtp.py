"""The LMTP (or SMTP) listener: the mail server hands each message over a socket.

A message is acknowledged with 250 only after its raw bytes are committed by
`inbound.store_raw`; when storing fails the answer is 451, so the mail server keeps the
message and tries again. Parsing and ticket work happen afterwards, in the task queue.

aiosmtpd runs the protocol on an asyncio loop in its own thread. The database is
synchronous, so every database call runs in one dedicated worker thread that owns its
connection (SQLite takes one writer at a time anyway).
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
from django.db import close_old_connections, connections, transaction

from tiketti.accounts.models import normalize_email

from . import inbound
from .models import InboundMessage, Mailbox
from .tasks import process_inbound_message

logger = logging.getLogger(__name__)

# Most providers cap messages at 25 MB; a larger one is refused (552) rather than
# buffered without limit. The limit is announced in the LHLO/EHLO SIZE extension.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
IDLE_TIMEOUT_SECONDS = 300
TEMPORARY_FAILURE = "451 4.3.0 Message not stored, try again later"


class IntakeHandler:
    """aiosmtpd handler: accept recipients we have a mailbox for, store each message once."""

    def __init__(self, *, any_recipient: bool = False, one_reply_per_recipient: bool = True):
        self.any_recipient = any_recipient
        self.one_reply_per_recipient = one_reply_per_recipient
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiketti-lmtp-db")

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
        reply = await self._run(
            _with_fresh_connection, deliver, envelope.original_content, recipients
        )
        # LMTP (RFC 2033 §4.2) answers DATA once per accepted recipient; the message is
        # stored once, so every recipient gets the same answer.
        count = len(recipients) if self.one_reply_per_recipient else 1
        return "\r\n".join([reply] * count)

    def close(self) -> None:
        """Close the worker thread's database connection, then the thread."""
        self._database.submit(connections.close_all).result()
        self._database.shutdown(wait=True)


def deliver(raw: bytes, recipients: Sequence[str]) -> str:
    """Store one message for its recipients; the SMTP reply for each of them."""
    try:
        mailbox, recipient = match_recipient(recipients)
        row, created = inbound.store_raw(
            raw, via=InboundMessage.Via.LMTP, mailbox=mailbox, envelope_recipient=recipient
        )
    except Exception:
        # Whatever went wrong (database down, disk full, a bug), the mail server must keep
        # the message and retry: a 5xx would bounce it, and the sender may never resend.
        logger.exception("Inbound message not stored; the mail server will retry")
        return TEMPORARY_FAILURE
    if row.status == InboundMessage.Status.STORED:
        # robust: the message is safely stored; a failed enqueue is logged, and the
        # periodic job `process-stored-mail` processes it later.
        transaction.on_commit(partial(process_inbound_message.enqueue, row.pk), robust=True)
    logger.info("Stored inbound message %s (%s)", row.pk, "new" if created else "already known")
    return f"250 2.0.0 Stored as message {row.pk}"


def match_recipient(recipients: Sequence[str]) -> tuple[Mailbox | None, str]:
    """The active mailbox of the first recipient that has one, and that recipient as
    written (plus addresses count as their base: support+AB-12@ is support@, and the
    ticket number in it still threads). Without a mailbox: (None, the first recipient)."""
    # A handful of rows: compare in Python, where case is folded the same way for both.
    active = {normalize_email(m.address): m for m in Mailbox.objects.filter(is_active=True)}
    for recipient in recipients:
        mailbox = active.get(_base_address(recipient))
        if mailbox is not None:
            return mailbox, recipient
    return None, recipients[0] if recipients else ""


def _base_address(address: str) -> str:
    local, _, domain = normalize_email(address).partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


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
