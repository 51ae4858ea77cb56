"""`tiketti worker`: runs background tasks and the periodic scheduler in one process;
`tiketti worker --check` tells monitoring whether any worker runs."""

from __future__ import annotations

import logging
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import Error as DatabaseError
from django.utils import timezone

from tiketti.operations.heartbeat import SILENT_AFTER, worker_silence
from tiketti.operations.worker import describe, run_worker


class Command(BaseCommand):
    help = "Run background tasks (notifications, mail delivery) and periodic jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--no-scheduler", action="store_true", help="Tasks only.")
        parser.add_argument(
            "--queue",
            action="append",
            default=[],
            choices=settings.TASK_QUEUES,
            help="Only this queue (again for more); default: every queue.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Run nothing: exit 0 if a worker has run in the last 5 minutes, else 1.",
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        batch: bool,
        no_scheduler: bool,
        queue: list[str],
        check: bool,
        **options: Any,
    ) -> None:
        if check:
            sys.exit(self.check_workers())
        logging.basicConfig(level=logging.INFO, format="worker: %(message)s")
        self.stdout.write("Worker started: processing tasks" + ("" if batch else " (Ctrl+C stops)"))
        run_worker(
            queue or ["*"],
            batch=batch,
            interval=interval,
            with_scheduler=not no_scheduler and not batch,
        )

    def check_workers(self) -> int:
        """One line for monitoring; the exit status says whether a worker runs."""
        minutes = int(SILENT_AFTER.total_seconds() // 60)
        try:
            silence = worker_silence()
        except DatabaseError as error:
            self.stderr.write(f"Cannot tell whether a worker runs: {describe(error)}")
            return 1
        if silence is None:
            self.stdout.write(f"A worker has run in the last {minutes} minutes.")
            return 0
        if silence.last_seen_at is None:
            when = "No worker has run yet"
        else:
            seen = timezone.localtime(silence.last_seen_at).isoformat(timespec="seconds")
            when = f"No worker has run since {seen}"
        self.stderr.write(
            f"{when}: outgoing mail, SLA escalation and mailbox polling are stopped. "
            "Start `tiketti worker` (see docs/deploy.md)."
        )
        return 1
