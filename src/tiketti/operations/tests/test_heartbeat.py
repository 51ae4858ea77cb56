"""Whether a worker runs: its heartbeat, `tiketti worker --check`, the admins' banner."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tiketti.accounts.tests.factories import UserFactory
from tiketti.operations.heartbeat import record_heartbeat
from tiketti.operations.models import WorkerHeartbeat
from tiketti.operations.worker import Backoff

BANNER_EN = "No background worker has run"


def beat(ago=timedelta(0), worker_id="w1"):
    record_heartbeat(worker_id, timezone.now())
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=timezone.now() - ago)


def check():
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("worker", "--check", stdout=out, stderr=err)
    return exit.value.code, out.getvalue(), err.getvalue()


def test_check_fails_in_one_line_when_no_worker_has_ever_run(db):
    code, out, err = check()
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "No worker has run yet: outgoing mail, SLA escalation and mailbox polling are "
        "stopped. Start `tiketti worker` (see docs/deploy.md)."
    ]


def test_check_passes_while_a_worker_beats(db):
    beat(ago=timedelta(minutes=4))
    code, out, err = check()
    assert (code, err) == (0, "")
    assert out.strip() == "A worker has run in the last 5 minutes."


def test_check_fails_when_the_last_beat_is_over_five_minutes_old(db):
    beat(ago=timedelta(minutes=6), worker_id="old")
    code, _, err = check()
    assert code == 1
    assert err.startswith("No worker has run since ") and "Start `tiketti worker`" in err


@pytest.mark.django_db(transaction=True)  # the worker's loop closes connections
def test_a_batch_run_records_that_a_worker_ran():
    call_command("worker", "--batch", "--interval", "0", stdout=StringIO())
    assert check()[0] == 0
    assert WorkerHeartbeat.objects.count() == 1


def test_a_worker_that_beats_again_updates_its_own_row_and_forgets_long_gone_ones(db):
    beat(ago=timedelta(days=2), worker_id="gone")
    beat(worker_id="w1")
    record_heartbeat("w1", timezone.now())
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w1"]


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(admin=True, language="fi"))
    return client


def test_admins_see_on_the_desk_that_no_worker_has_run(admin_client):
    beat(ago=timedelta(minutes=10))
    page = admin_client.get(reverse("desk:queue")).content.decode()
    assert "Taustaprosessi ei ole toiminut " in page
    assert "Käynnistä <code>tiketti worker</code>." in page


def test_admins_see_no_banner_while_a_worker_runs(admin_client):
    beat(ago=timedelta(minutes=1))
    page = admin_client.get(reverse("desk:queue")).content.decode()
    assert "Taustaprosessi" not in page


def test_agents_who_are_not_admins_see_no_banner_and_pay_no_query(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("desk:queue")).content.decode()
    assert BANNER_EN not in page
    assert not [q for q in queries.captured_queries if "heartbeat" in q["sql"]]


def test_the_banner_costs_admins_one_query(admin_client):
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("desk:queue")).content.decode()
    assert "Taustaprosessi ei ole vielä toiminut kertaakaan" in page
    assert len([q for q in queries.captured_queries if "heartbeat" in q["sql"]]) == 1


def test_backoff_doubles_up_to_its_ceiling_and_starts_over_after_a_reset():
    backoff = Backoff(first=1, ceiling=30)
    assert [backoff.next_delay() for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    for _ in range(2000):  # hours of outage
        assert backoff.next_delay() == 30
    backoff.reset()
    assert backoff.next_delay() == 1
