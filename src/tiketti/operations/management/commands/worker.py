"""`tiketti worker`: runs background tasks and the periodic scheduler in one process."""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from tiketti.operations.periodic import claim_due_jobs
from tiketti.operations.tasks import run_periodic_job

logger = logging.getLogger("tiketti.worker")


def task_worker(
    queues: list[str],
    *,
    batch: bool,
    interval: float = 0.0,
    max_tasks: int | None = None,
    worker_id: str | None = None,
) -> Worker:
    """django-tasks-db's worker for these queues ("*": all), on the default backend;
    `batch`: run what is queued, then return."""
    return Worker(
        queue_names=queues,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )


def schedule_forever(stop: threading.Event, every_seconds: float) -> None:
    while not stop.wait(every_seconds):
        try:
            for name in claim_due_jobs():
                run_periodic_job.enqueue(name)
        except Exception:  # a database hiccup must not kill the scheduler
            logger.exception("Scheduling periodic jobs failed; retrying.")
        finally:
            close_old_connections()


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

    def handle(
        self,
        *args: Any,
        interval: float,
        batch: bool,
        no_scheduler: bool,
        queue: list[str],
        **options: Any,
    ) -> None:
        logging.basicConfig(level=logging.INFO, format="worker: %(message)s")
        stop = threading.Event()
        if not no_scheduler and not batch:
            threading.Thread(target=schedule_forever, args=(stop, 15.0), daemon=True).start()
        worker = task_worker(queue or ["*"], batch=batch, interval=interval)
        self.stdout.write("Worker started: processing tasks" + ("" if batch else " (Ctrl+C stops)"))
        try:
            worker.run()
        finally:
            stop.set()
