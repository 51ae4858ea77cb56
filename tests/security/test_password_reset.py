"""Password reset: a few mails per address per hour, and the request does the same work
whether an account has the address or not (the account is looked up by the worker)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.settings import DATABASE_TASKS

RESET = "/accounts/password-reset/"


def ask(client, email):
    return client.post(RESET, {"email": email})


def test_an_address_gets_at_most_the_limit_of_mails_an_hour(
    client, main_user, settings, django_capture_on_commit_callbacks
):
    settings.TIKETTI_PASSWORD_RESET_LIMIT = 3
    for _ in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, main_user.email.upper())
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 3
    assert {tuple(sent.to) for sent in mail.outbox} == {(main_user.email,)}


def test_the_limit_is_per_address_and_per_hour(
    client, main_user, ordinary_user, settings, django_capture_on_commit_callbacks
):
    import time_machine
    from django.utils import timezone

    settings.TIKETTI_PASSWORD_RESET_LIMIT = 1
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, main_user.email)
        ask(client, main_user.email)
        ask(client, ordinary_user.email)
    assert {sent.to[0] for sent in mail.outbox} == {main_user.email, ordinary_user.email}
    with (
        time_machine.travel(timezone.now() + timezone.timedelta(minutes=61), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ask(client, main_user.email)
    assert len(mail.outbox) == 3


def normalised(queries):
    """The statements run, with the values that differ per address taken out."""
    return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_known_and_unknown_addresses_cost_the_same_work(client, main_user):
    from django_tasks_db.models import DBTaskResult

    def request_work(email):
        with CaptureQueriesContext(connection) as captured:
            response = ask(client, email)
        return response, normalised(captured.captured_queries)

    known_response, known_work = request_work(main_user.email)
    unknown_response, unknown_work = request_work("nobody@nowhere.example")
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    assert known_work == unknown_work
    assert DBTaskResult.objects.count() == 2  # one queued task each, looked up by the worker
    assert mail.outbox == []

    call_command("worker", "--batch", "--interval", "0")
    assert [sent.to for sent in mail.outbox] == [[main_user.email]]
