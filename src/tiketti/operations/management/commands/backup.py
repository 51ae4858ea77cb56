"""`tiketti backup DIR`: the database and every stored file, with a manifest."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiketti.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the attachments into "
        "DIR, a new directory, with manifest.json listing every file's SHA-256. Safe while "
        "web and worker run."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="a new (or empty) directory")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["directory"]
        try:
            manifest = make_backup(target, progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(error.message, returncode=error.exit_code) from None
        stored = manifest.stored_files
        megabytes = sum(entry.size for entry in manifest.files) / (1024 * 1024)
        missing = f", {len(manifest.missing_files)} missing" if manifest.missing_files else ""
        self.stdout.write(
            f"backup written to {target}: {manifest.database_vendor} database and "
            f"{len(stored)} files{missing}, {megabytes:.1f} MB"
        )
