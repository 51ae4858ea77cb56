"""Tiketti's task backend: django-tasks-db's, which can also queue a burst of tasks at once.

After a batch of mail commits, its on-commit callbacks enqueue a notification or two per
message, each in a transaction of its own. Inside `enqueued_together()` such tasks (ones
enqueued outside any transaction) are kept until the block ends and then written with
one INSERT per 500, in one transaction. Tasks enqueued inside a transaction are written
at once, as ever, so they still commit or roll back with the work that queued them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import router, transaction
from django.tasks import Task
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.json import normalize_json
from django_tasks_db import backend
from django_tasks_db.backend import TaskResult

if TYPE_CHECKING:  # the models load with the apps; a backend may be made before them
    from django_tasks_db.models import DBTaskResult

# The rows enqueued in the innermost `enqueued_together()` block, with their results.
_burst: ContextVar[list[tuple[DBTaskResult[Any, Any], TaskResult[Any, Any]]] | None] = ContextVar(
    "tiketti_task_burst", default=None
)

WRITE_BATCH = 500
logger = logging.getLogger(__name__)


@contextmanager
def enqueued_together() -> Iterator[None]:
    """Write the tasks enqueued outside a transaction in this block together, when it
    ends (also when it ends with an error: what queued them had committed). Should that
    write fail, the error is logged and the block ends as it would have: Django's robust
    on-commit callbacks do the same. Nested blocks leave the writing to the outermost."""
    if _burst.get() is not None:
        yield
        return
    pending: list[tuple[DBTaskResult[Any, Any], TaskResult[Any, Any]]] = []
    token = _burst.set(pending)
    try:
        yield
    finally:
        _burst.reset(token)
        _write(pending)


def _write(pending: list[tuple[DBTaskResult[Any, Any], TaskResult[Any, Any]]]) -> None:
    if not pending:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        with transaction.atomic(using=router.db_for_write(DBTaskResult)):
            DBTaskResult.objects.bulk_create([row for row, _ in pending], batch_size=WRITE_BATCH)
    except Exception:  # what queued them has committed: log, as a robust on-commit would
        logger.exception("Queueing %d tasks failed; they will not run", len(pending))
        return
    for _, result in pending:
        task_enqueued.send(DatabaseBackend, task_result=result)


def waiting_to_start(task: Task[Any, Any]) -> bool:
    """Whether a run of `task` is queued, due, and not started by any worker yet (a
    committed READY row, or one this `enqueued_together()` block is about to write).
    Only the database backend can tell; elsewhere: False."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    chosen = task.get_backend()
    if not isinstance(chosen, backend.DatabaseBackend):
        return False
    pending = _burst.get() or []
    if any(
        row.task_path == task.module_path
        and row.queue_name == task.queue_name
        and row.run_after == get_date_max()
        for row, _ in pending
    ):
        return True
    queued = DBTaskResult.objects.ready().filter(backend_name=chosen.alias)
    return queued.filter(task_path=task.module_path, queue_name=task.queue_name).exists()


class DatabaseBackend(backend.DatabaseBackend):
    """django_tasks_db.DatabaseBackend, able to write a burst of tasks in one statement."""

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        from django_tasks_db.models import DBTaskResult, get_date_max

        pending = _burst.get()
        using = router.db_for_write(DBTaskResult)
        if pending is None or transaction.get_connection(using).in_atomic_block:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        # The row django-tasks-db's enqueue creates, and what its pre_save handler adds
        # (bulk_create sends no pre_save). The row's enqueued_at becomes the time it is
        # written; the result returned here says when it was enqueued.
        row: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            enqueued_at=timezone.now(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=get_date_max() if task.run_after is None else task.run_after,
            backend_name=self.alias,
        )
        result = row.task_result
        pending.append((row, result))
        return result
