"""Every event reaches a webhook, also through the production task backend and worker."""

import datetime
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from tests.settings import DATABASE_TASKS

from tiketti.contracts.quotes import create_quote, decide_quote
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.tickets.escalation import sweep_sla
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.webhooks import services
from tiketti.webhooks.models import Webhook, WebhookDelivery

from .receiver import running_receiver

ALWAYS_OPEN = {
    "tz": "UTC",
    "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}


@pytest.fixture(autouse=True)
def private_targets_allowed(settings):
    settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE = True
    services.subscribed_events.forget()


@pytest.fixture
def receiver():
    with running_receiver() as running:
        yield running


def listen(receiver, agent, *events):
    return services.create_webhook(actor=agent, url=receiver.url, events=events)


def file_ticket(requester, **extra):
    return submit_request(
        IntakeRequest(
            channel="portal", requester=requester, subject="Kassa", body_text="x", **extra
        )
    ).ticket


def events_received(receiver):
    return [json.loads(request.body) for request in receiver.requests]


def test_a_decided_quote_is_announced(
    receiver, agent, main_user, django_capture_on_commit_callbacks
):
    ticket = file_ticket(main_user)
    listen(receiver, agent, "quote.decided")
    with django_capture_on_commit_callbacks(execute=True):
        quote = create_quote(
            ticket=ticket,
            actor=agent,
            description="Uusi raportti",
            estimated_hours=Decimal("2"),
            valid_until=timezone.localdate() + datetime.timedelta(days=7),
        )
    assert receiver.requests == []  # created is not decided
    with django_capture_on_commit_callbacks(execute=True):
        decide_quote(quote=quote, user=main_user, approve=True, via="portal", from_address="")

    [sent] = events_received(receiver)
    assert sent["event"] == "quote.decided"
    assert sent["data"]["quote"]["reference"] == quote.reference
    assert sent["data"]["quote"]["status"] == "approved"
    assert sent["data"]["quote"]["decided_by"]["email"] == main_user.email


def test_sla_warning_and_breach_are_separate_events(
    receiver, agent, main_user, category, django_capture_on_commit_callbacks
):
    calendar = BusinessCalendar.objects.create(name="always", definition=ALWAYS_OPEN)
    SlaPolicy.objects.create(
        name="Four hours",
        first_response_target="4h",
        first_response_calendar=calendar,
        resolution_target="48h",
        resolution_calendar=calendar,
    )
    ticket = file_ticket(main_user, category_slug="bug")
    listen(receiver, agent, "sla.breached")
    with django_capture_on_commit_callbacks(execute=True):
        sweep_sla(ticket.created_at + timedelta(hours=3, minutes=10))  # a warning
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_sla(ticket.created_at + timedelta(hours=5))

    [sent] = events_received(receiver)
    assert sent["event"] == "sla.breached"
    assert sent["data"]["sla"]["clock"] == "first_response"
    assert sent["data"]["ticket"]["number"] == ticket.number


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_delivers_and_a_retry_waits_for_its_backoff(receiver, main_user, agent):
    from django_tasks_db.models import DBTaskResult

    webhook = listen(receiver, agent, "ticket.created")
    receiver.answers = [500]
    file_ticket(main_user)
    assert receiver.requests == []  # the web request only queued work

    call_command("worker", "--batch", "--interval", "0")

    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("queued", 500)
    deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_webhook")
    retry = deliveries.filter(status="READY").get()
    assert retry.run_after >= delivery.next_attempt_at
    assert not DBTaskResult.objects.ready().exists()  # nothing runs before the backoff
    assert Webhook.objects.get(pk=webhook.pk).consecutive_failure_count == 1
