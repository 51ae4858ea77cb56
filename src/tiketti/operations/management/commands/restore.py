"""`tiketti restore DIR`: a backup made by `tiketti backup`, checked whole first."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tiketti.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `tiketti backup`: checks every checksum, then "
        "restores the database and the attachments. Refuses a database that holds data "
        "unless --force. Stop web and worker first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="the backup directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data, and stored files that differ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["directory"]
        try:
            manifest = restore_backup(source, force=options["force"], progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(error.message, returncode=error.exit_code) from None
        self.stdout.write(
            f"restored {source} (made {manifest.created_at} by Tiketti "
            f"{manifest.tiketti_version}): database and {len(manifest.stored_files)} files"
        )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("the backup is of an older version: run `tiketti migrate` now")
