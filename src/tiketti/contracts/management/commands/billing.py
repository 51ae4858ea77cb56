"""`tiketti billing export --month 2026-11 [--organisation NAME] [--out DIR]`: the month's
invoice lines as CSV, one file per organisation (see `contracts.billing`).

With one organisation and no --out the CSV goes to standard output, for a pipe; otherwise
files named `billing-<month>-<id>-<name>.csv` are written and their paths printed.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from tiketti.accounts.models import Organisation
from tiketti.contracts.billing import billed_organisations, billing_lines, parse_month, to_csv

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Billing. `billing export --month YYYY-MM` writes the month's invoice lines as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser(
            "export",
            help="write a month's billing CSV per organisation",
            description="Billable time, approved quotes and priority charges of a month.",
        )
        export.add_argument("--month", required=True, help="the month, e.g. 2026-11")
        export.add_argument(
            "--organisation", help="only this organisation (its name, any letter case)"
        )
        export.add_argument(
            "--out", type=Path, help="directory for the files (default: current directory)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = self._month(options["month"])
        name: str | None = options["organisation"]
        out: Path | None = options["out"]
        if name is not None and out is None:
            self.stdout.write(to_csv(billing_lines(self._organisation(name), month)), ending="")
            return
        organisations = [self._organisation(name)] if name else billed_organisations(month)
        directory = out or Path()
        directory.mkdir(parents=True, exist_ok=True)
        for organisation in organisations:
            path = directory / _file_name(organisation, month)
            path.write_text(to_csv(billing_lines(organisation, month)), encoding="utf-8")
            self.stdout.write(str(path))

    def _month(self, text: str) -> datetime.date:
        try:
            return parse_month(text)
        except ValueError as error:
            raise CommandError(f"--month: {error}", returncode=USAGE_ERROR) from None

    def _organisation(self, name: str) -> Organisation:
        organisation = Organisation.objects.filter(name__iexact=name.strip()).first()
        if organisation is None:
            raise CommandError(f"no organisation named {name!r}", returncode=USAGE_ERROR)
        return organisation


def _file_name(organisation: Organisation, month: datetime.date) -> str:
    slug = slugify(organisation.name) or "organisation"
    return f"billing-{month:%Y-%m}-{organisation.pk}-{slug}.csv"
