"""`tiketti mail …`: bring e-mail in. Thin: transports call `mail.inbound`."""

from __future__ import annotations

import mailbox
import signal
import sys
import threading
from argparse import ArgumentParser
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import batched
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tiketti.mail import failures, inbound
from tiketti.mail.mbox import read_mbox
from tiketti.mail.models import InboundMessage, Mailbox

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again later
EX_USAGE = 64
# `mail import` stores this many messages in one commit, then processes them in another.
IMPORT_BATCH = 100


class Command(BaseCommand):
    help = (
        "E-mail intake: ingest one message, import a maildir/mbox, retry failed ones, "
        "fetch IMAP mailboxes, run the LMTP listener."
    )
    # System checks touch the database; a mail server piping to us must get exit 75, not a
    # traceback, when the database is down.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        ingest = actions.add_parser("ingest", help="store and process one RFC 5322 message")
        ingest.add_argument("file", nargs="?", help="the message file (default: standard input)")
        ingest.add_argument("--recipient", default="", help="envelope recipient (MTA's $recipient)")
        ingest.add_argument("--mailbox", default="", help="mailbox name or address it came to")
        bulk = actions.add_parser("import", help="import a maildir or mbox (migration)")
        source = bulk.add_mutually_exclusive_group(required=True)
        source.add_argument("--maildir", help="a Maildir directory")
        source.add_argument("--mbox", help="an mbox file")
        bulk.add_argument("--mailbox", default="", help="mailbox name or address to file under")
        actions.add_parser("retry", help="process again every message that failed")
        fetch = actions.add_parser("fetch", help="fetch new mail from the IMAP mailboxes, once")
        fetch.add_argument("--mailbox", action="append", default=[], help="only this mailbox")
        serve = actions.add_parser("serve", help="listen for LMTP (or SMTP) deliveries")
        serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
        serve.add_argument("--port", type=int, default=2424, help="port to listen on")
        serve.add_argument("--smtp", action="store_true", help="speak SMTP instead of LMTP")
        serve.add_argument(
            "--any-recipient",
            action="store_true",
            help="accept mail for addresses without a mailbox (default: refuse with 550)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "ingest":
            self._ingest(options["file"], options["recipient"], options["mailbox"])
        elif action == "import":
            self._import(options["maildir"], options["mbox"], options["mailbox"])
        elif action == "fetch":
            self._fetch(options["mailbox"])
        elif action == "serve":
            self._serve(options["host"], options["port"], options["smtp"], options["any_recipient"])
        else:
            self.stdout.write(f"retried {inbound.retry_failed()} failed message(s)")

    def _ingest(self, file: str | None, recipient: str, mailbox_name: str) -> None:
        """Exit 0 once the raw message is stored (the promise to the mail server: a
        failure after that is the worker's to retry), 75 while it cannot be stored."""
        try:
            raw = Path(file).read_bytes() if file else sys.stdin.buffer.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}", returncode=EX_USAGE) from None
        try:
            row, _ = inbound.store_raw(
                raw,
                via=InboundMessage.Via.PIPE,
                mailbox=_mailbox(mailbox_name),
                envelope_recipient=recipient,
            )
        except (DatabaseError, OSError) as error:
            self.stderr.write(
                f"tiketti: message not stored ({failures.summary(error)}); "
                "the mail server keeps it and tries again"
            )
            sys.exit(EX_TEMPFAIL)
        try:
            row = inbound.process(row)
        except DatabaseError as error:  # stored safely; the worker processes it later
            self.stdout.write(
                f"held queued (stored; the worker processes it once the database answers: "
                f"{failures.summary(error)})"
            )
            return
        self.stdout.write(inbound.describe(row))

    def _import(self, maildir: str | None, mbox: str | None, mailbox_name: str) -> None:
        target = _mailbox(mailbox_name)
        if maildir:
            if not Path(maildir, "cur").is_dir() and not Path(maildir, "new").is_dir():
                raise CommandError(
                    f"{maildir} is not a Maildir (no cur/ or new/)", returncode=EX_USAGE
                )
            source = mailbox.Maildir(maildir, create=False)
            messages: Iterator[bytes] = (source.get_bytes(key) for key in source.iterkeys())
            close: Callable[[], None] = source.close
        else:
            assert mbox is not None
            if not Path(mbox).is_file():
                raise CommandError(f"{mbox} is not a file", returncode=EX_USAGE)
            try:
                file = open(mbox, "rb")  # noqa: SIM115 - closed below, once imported
            except OSError as error:
                raise CommandError(f"cannot read {mbox}: {error}", returncode=EX_USAGE) from None
            messages, close = read_mbox(file), file.close
        counts: Counter[str] = Counter()

        def stored_batches() -> Iterator[list[InboundMessage]]:
            for raws in batched(messages, IMPORT_BATCH):
                stored = inbound.store_many(raws, via=InboundMessage.Via.IMPORT, mailbox=target)
                counts.update("stored" if created else "already stored" for _, created in stored)
                yield [row for row, _ in stored]

        done = 0
        try:
            for processed in inbound.process_batches(stored_batches()):
                counts.update(row.status for row in processed)
                done += len(processed)
                self.stderr.write(f"… {done} messages")
        finally:
            close()
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items()))
        self.stdout.write(
            f"imported {sum(counts[s] for s in ('stored', 'already stored'))} "
            f"message(s) ({summary})"
        )

    def _fetch(self, names: list[str]) -> None:
        # Imported here, as in _serve: `ingest` runs once per message and should start fast.
        from tiketti.mail import imap

        try:
            results = imap.fetch_all(names)
        except DatabaseError as error:  # messages not stored are left unmarked on the server
            self.stderr.write(
                f"tiketti: mail not fetched: database error ({failures.summary(error)}); "
                "messages not stored stay on the mail server: fetch again later"
            )
            sys.exit(EX_TEMPFAIL)
        if names and not results:
            missing = ", ".join(names)
            raise CommandError(f"no active IMAP mailbox named {missing}", returncode=EX_USAGE)
        for result in results:
            self.stdout.write(str(result))
        for problem in imap.mailbox_problems():
            if problem.is_stalled:
                self.stderr.write(f"warning: mailbox {problem.mailbox.name} has stalled")
        if any(result.error for result in results):
            raise CommandError("some mailboxes could not be fetched")

    def _serve(self, host: str, port: int, smtp: bool, any_recipient: bool) -> None:
        from tiketti.mail import lmtp

        controller = lmtp.IntakeController(
            host=host, port=port, smtp=smtp, any_recipient=any_recipient
        )
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        try:
            controller.start()
        except Exception as error:  # port taken, address not ours
            controller.intake.close()
            raise CommandError(f"cannot listen on {host}:{port}: {error}") from None
        self.stdout.write(f"listening for {'SMTP' if smtp else 'LMTP'} on {host}:{port}")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
        self.stdout.write("stopped")


def _mailbox(name: str) -> Mailbox | None:
    if not name:
        return None
    # The name as an admin typed it ("Support") in any case, or the address.
    found = (
        Mailbox.objects.filter(name__iexact=name).order_by("pk").first()
        or Mailbox.objects.filter(address__iexact=name).first()
    )
    if found is None:
        raise CommandError(
            f"no mailbox named {name!r}; create it in the admin first", returncode=EX_USAGE
        )
    return found
