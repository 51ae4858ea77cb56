"""`tiketti privacy export|erase|purge`: a person's data, their erasure, the retention purge."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiketti.accounts.models import User
from tiketti.privacy.erasure import ErasureRefused, erase_person
from tiketti.privacy.export import export_json, record_export
from tiketti.privacy.retention import purge_closed_tickets


class Command(BaseCommand):
    help = (
        "Privacy: export everything about a person as JSON, erase a person, or purge closed "
        "tickets past the retention period."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="a person's data as JSON on standard output")
        export.add_argument("--email", required=True, help="the person's e-mail address")
        erase = actions.add_parser("erase", help="anonymise a person (cannot be undone)")
        erase.add_argument("--email", required=True, help="the person's e-mail address")
        erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        purge = actions.add_parser("purge", help="purge closed tickets past the retention period")
        purge.add_argument("--dry-run", action="store_true", help="only count what would go")
        purge.add_argument(
            "--months", type=int, default=None, help="instead of TIKETTI_RETENTION_MONTHS"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            person = self._person(options["email"])
            self.stdout.write(export_json(person))
            record_export(person, actor=None, via="command")
        elif action == "erase":
            self._erase(self._person(options["email"]), options["yes"])
        else:
            self._purge(options["months"], options["dry_run"])

    def _person(self, email: str) -> User:
        person = User.objects.get_by_email(email)
        if person is None:
            raise CommandError(f"nobody has the address {email}")
        return person

    def _erase(self, person: User, confirmed: bool) -> None:
        if not confirmed:
            if not sys.stdin.isatty():
                raise CommandError("erasing cannot be undone: confirm with --yes")
            answer = input(f"Erase {person.email} for good? Type the address to confirm: ")
            if answer.strip().lower() != person.email:
                raise CommandError("not confirmed; nothing was erased")
        try:
            counts = erase_person(person=person, progress=self._progress("tickets"))
        except ErasureRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"erased: {counts.tickets} ticket(s) touched, {counts.messages} message(s), "
            f"{counts.attachments} attachment(s), {counts.raw_emails} raw e-mail(s), "
            f"{counts.sent_emails} sent e-mail copy(ies), {counts.api_tokens} API token(s), "
            f"{counts.sessions} session(s)"
        )

    def _purge(self, months: int | None, dry_run: bool) -> None:
        months = months if months is not None else settings.TIKETTI_RETENTION_MONTHS
        if months is None:
            self.stdout.write("retention not set (TIKETTI_RETENTION_MONTHS): nothing purged")
            return
        if months < 1:
            raise CommandError("--months must be 1 or more")
        counts = purge_closed_tickets(
            months=months, dry_run=dry_run, progress=self._progress("tickets")
        )
        verb = "would purge" if dry_run else "purged"
        self.stdout.write(
            f"{verb} {counts.tickets} closed ticket(s) older than {months} month(s): "
            f"{counts.messages} message(s), {counts.attachments} attachment(s)"
            + ("" if dry_run else f", {counts.raw_emails} raw e-mail(s)")
        )

    def _progress(self, what: str) -> Callable[[int, int], None]:
        """Progress on standard error, one line rewritten, when there is much to do."""

        def report(done: int, total: int) -> None:
            if total >= 20 and (done % 10 == 0 or done == total):
                self.stderr.write(f"\r{done}/{total} {what}", ending="\n" if done == total else "")
                self.stderr.flush()

        return report
