"""The worker process: django-tasks-db's task loop, kept running through database errors,
with the periodic scheduler and the heartbeat beside it in threads of their own.

A locked SQLite file, a PostgreSQL restart or a dropped connection raise from places
django-tasks-db does not guard (starting its exclusive transaction, recording a result).
Each loop here catches database errors, says in one log line that it retries, closes the
thread's connections (a broken one is then opened anew), backs off and goes on: a
database error never ends the worker.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from django.db import Error as DatabaseError
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from .heartbeat import BEAT_EVERY, record_heartbeat
from .periodic import claim_due_jobs
from .tasks import run_periodic_job

logger = logging.getLogger("tiketti.worker")

SCHEDULE_EVERY = 15.0  # seconds between looks at the periodic jobs


class Backoff:
    """Seconds to wait after consecutive failures: 1, 2, 4 … at most `ceiling`."""

    def __init__(self, first: float = 1.0, ceiling: float = 30.0) -> None:
        self.first = first
        self.ceiling = ceiling
        self.failures = 0

    def next_delay(self) -> float:
        delay: float = min(self.first * 2.0**self.failures, self.ceiling)
        self.failures = min(self.failures + 1, 30)  # an outage of hours must not overflow
        return delay

    def reset(self) -> None:
        self.failures = 0


def describe(error: BaseException) -> str:
    """The error on one line, for a log line an operator reads."""
    text = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {text}"[:300]


def reset_connections() -> None:
    """Close this thread's database connections; the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # already broken: closing was all we wanted
            connection.close()


class ResilientWorker(Worker):
    """django-tasks-db's worker, whose loop is started again after a database error."""

    def run(self) -> None:
        backoff = Backoff()
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # batch done, or --max-tasks reached
            except DatabaseError as error:
                if time.monotonic() - started > backoff.ceiling:
                    backoff.reset()  # it had worked for a while: start the backoff over
                delay = backoff.next_delay()
                logger.warning(
                    "Database error (%s); tasks wait, retrying in %g s.", describe(error), delay
                )
                reset_connections()
                self.startup_delay = False  # a restart of the loop, not of the process
                time.sleep(delay)


def task_worker(
    queues: list[str],
    *,
    batch: bool,
    interval: float = 0.0,
    max_tasks: int | None = None,
    worker_id: str | None = None,
) -> ResilientWorker:
    """django-tasks-db's worker for these queues ("*": all), on the default backend;
    `batch`: run what is queued, then return."""
    return ResilientWorker(
        queue_names=queues,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )


def schedule_forever(stop: threading.Event, every_seconds: float = SCHEDULE_EVERY) -> None:
    """Enqueue the periodic jobs that are due, now and every `every_seconds`, until
    `stop`; a database error makes it retry sooner, with backoff."""
    backoff = Backoff()
    wait = 0.0
    while not stop.wait(wait):
        try:
            for name in claim_due_jobs():
                run_periodic_job.enqueue(name)
        except DatabaseError as error:
            wait = min(backoff.next_delay(), every_seconds)
            logger.warning(
                "Database error (%s); periodic jobs wait, retrying in %g s.",
                describe(error),
                wait,
            )
            reset_connections()
        else:
            backoff.reset()
            wait = every_seconds
            close_old_connections()


def beat_forever(stop: threading.Event, worker_id: str, started_at: datetime) -> None:
    """Record this worker's heartbeat now and every BEAT_EVERY until `stop`. A failed beat
    is logged once, not every half minute, until one succeeds again."""
    failing = False
    while True:
        try:
            record_heartbeat(worker_id, started_at)
        except DatabaseError as error:
            if not failing:
                logger.warning(
                    "Database error (%s); the heartbeat is retried every %d s.",
                    describe(error),
                    BEAT_EVERY.total_seconds(),
                )
            failing = True
            reset_connections()
        else:
            failing = False
            close_old_connections()
        if stop.wait(BEAT_EVERY.total_seconds()):
            return


def start_thread(target: Callable[..., None], *args: object, name: str) -> None:
    threading.Thread(target=target, args=args, name=name, daemon=True).start()


def run_worker(queues: list[str], *, batch: bool, interval: float, with_scheduler: bool) -> None:
    """Run the task loop (in this thread) with its heartbeat and, unless told otherwise,
    the scheduler. In batch mode: one beat, then what is queued, then return."""
    worker = task_worker(queues, batch=batch, interval=interval)
    started_at = timezone.now()
    stop = threading.Event()
    if batch:
        try:
            record_heartbeat(worker.worker_id, started_at)
        except DatabaseError as error:
            logger.warning("Database error (%s); no heartbeat recorded.", describe(error))
            reset_connections()
    else:
        worker.configure_signals()  # SIGTERM: finish the task at hand, then stop
        start_thread(beat_forever, stop, worker.worker_id, started_at, name="heartbeat")
        if with_scheduler:
            start_thread(schedule_forever, stop, name="scheduler")
    try:
        worker.run()
    finally:
        stop.set()
