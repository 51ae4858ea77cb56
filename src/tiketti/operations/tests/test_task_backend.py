from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.tasks import default_task_backend, task
from django.tasks.signals import task_enqueued
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.settings import DATABASE_TASKS

from tiketti.operations.task_backend import enqueued_together, waiting_to_start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@task()
def remember(value: str) -> str:
    return value


def test_tasks_enqueued_together_are_written_at_the_end_in_one_insert():
    sent = []

    def count_sent(sender, task_result, **kwargs):
        sent.append(task_result.args)

    task_enqueued.connect(count_sent)
    try:
        with CaptureQueriesContext(connection) as queries, enqueued_together():
            results = [remember.enqueue(f"n{number}") for number in range(3)]
            assert not DBTaskResult.objects.exists()
            assert sent == []  # told once they are written, not before
    finally:
        task_enqueued.disconnect(count_sent)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "django_tasks_database')]
    assert len(inserts) == 1
    assert sent == [["n0"], ["n1"], ["n2"]]
    assert [default_task_backend.get_result(r.id).args for r in results] == sent


def test_a_task_written_later_is_the_row_enqueue_writes_at_once():
    direct = remember.using(priority=5).enqueue("same")
    with enqueued_together():
        later = remember.using(priority=5).enqueue("same")
    rows = {row.pk: row for row in DBTaskResult.objects.all()}
    ignored = {"id", "enqueued_at"}
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ignored]
    now, then = rows[direct.db_result.pk], rows[later.db_result.pk]
    assert {f: getattr(then, f) for f in fields} == {f: getattr(now, f) for f in fields}
    assert later.enqueued_at is not None and then.enqueued_at >= later.enqueued_at


def test_a_task_enqueued_in_a_transaction_commits_or_rolls_back_with_it():
    with enqueued_together():
        with transaction.atomic():
            remember.enqueue("kept")
            assert DBTaskResult.objects.count() == 1  # written at once, in the transaction
        with pytest.raises(RuntimeError), transaction.atomic():
            remember.enqueue("undone")
            raise RuntimeError("the work that queued it failed")
    assert [row.args_kwargs["args"] for row in DBTaskResult.objects.all()] == [["kept"]]


def test_nested_blocks_leave_the_writing_to_the_outermost_and_an_error_loses_nothing():
    with pytest.raises(ValueError), enqueued_together():
        with enqueued_together():
            remember.enqueue("inner")
        assert not DBTaskResult.objects.exists()
        remember.enqueue("outer")
        raise ValueError("after the tasks were queued")
    assert DBTaskResult.objects.count() == 2


def test_outside_a_block_a_task_is_written_at_once():
    remember.enqueue("alone")
    assert DBTaskResult.objects.count() == 1


def test_a_failed_write_is_logged_and_loses_nothing_else(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DBTaskResult.objects, "bulk_create", refuse)
    with enqueued_together():
        remember.enqueue("lost")
    assert "Queueing 1 tasks failed" in caplog.text and "disk full" in caplog.text
    monkeypatch.undo()
    remember.enqueue("next")  # the backend goes on working
    assert DBTaskResult.objects.count() == 1


def test_a_task_about_to_be_written_by_the_block_counts_as_waiting_to_start():
    assert not waiting_to_start(remember)
    with enqueued_together():
        remember.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("later")
        assert not waiting_to_start(remember)  # deferred: not due yet
        remember.enqueue("now")
        assert waiting_to_start(remember)
    assert waiting_to_start(remember)  # written, READY


def test_mail_stored_in_many_commits_of_one_block_queues_one_delivery_task(main_user):
    from tiketti.mail import services

    with enqueued_together():
        for number in range(5):
            with transaction.atomic():  # each commit's callback enqueues
                services.send_email(
                    template="password-reset",
                    recipient=main_user,
                    context={"reset_url": f"https://tiketti.example/reset/{number}"},
                )
    deliveries = DBTaskResult.objects.filter(task_path="tiketti.mail.tasks.deliver_email")
    assert deliveries.count() == 1
