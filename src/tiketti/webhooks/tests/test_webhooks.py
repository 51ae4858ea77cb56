import hashlib
import hmac
import json
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiketti.api.models import ApiToken
from tiketti.tickets import services as ticket_services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket
from tiketti.webhooks import services
from tiketti.webhooks.models import Webhook, WebhookDelivery

from .receiver import running_receiver


@pytest.fixture(autouse=True)
def private_targets_allowed(settings):
    """The receiver listens on loopback, which production refuses."""
    settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE = True
    services.subscribed_events.forget()


@pytest.fixture
def receiver():
    with running_receiver() as running:
        yield running


@pytest.fixture
def api(client):
    def call(method, path, user, **kwargs):
        _, token = ApiToken.issue(user)
        return getattr(client, method)(
            f"/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"},
            content_type="application/json",
            **kwargs,
        )

    return call


@pytest.fixture
def subscribe(api, agent):
    def create(url, events=("ticket.created",)):
        response = api("post", "/webhooks", agent, data={"url": url, "events": list(events)})
        assert response.status_code == 201, response.content
        return response.json()

    return create


def file_ticket(requester, subject="Kassa ei toimi"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Apua")
    ).ticket


def expected_signature(secret, header, body):
    timestamp = dict(part.split("=", 1) for part in header.split(","))["t"]
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def test_new_ticket_is_posted_signed_with_the_webhook_secret(
    subscribe, receiver, main_user, django_capture_on_commit_callbacks
):
    created = subscribe(receiver.url)
    assert created["secret"].startswith("whsec_")

    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(main_user)

    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert sent.path == "/hooks/tiketti?app=1"
    signature = sent.headers["X-Tiketti-Signature"]
    assert signature == expected_signature(created["secret"], signature, sent.body)
    assert not hmac.compare_digest(
        signature, expected_signature("whsec_wrong", signature, sent.body)
    )
    payload = json.loads(sent.body)
    assert payload["event"] == "ticket.created"
    assert payload["data"]["ticket"]["number"] == ticket.number
    assert payload["data"]["ticket"]["requester"]["email"] == main_user.email
    assert sent.headers["X-Tiketti-Event"] == "ticket.created"
    delivery = WebhookDelivery.objects.get()
    assert sent.headers["X-Tiketti-Delivery"] == str(delivery.uuid) == payload["id"]
    assert (delivery.status, delivery.response_status) == ("delivered", 200)


def test_a_failed_delivery_is_retried_with_backoff_and_the_same_body(
    subscribe, receiver, main_user, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    receiver.answers = [500]

    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "queued"
    assert delivery.response_status == 500
    assert "500" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert services.retry_due_deliveries() == 0  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    WebhookDelivery.objects.update(next_attempt_at=timezone.now())  # the backoff has passed
    assert services.retry_due_deliveries() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("delivered", 2)
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-Tiketti-Delivery"] == second.headers["X-Tiketti-Delivery"]
    assert [a.response_status for a in delivery.attempts.all()] == [500, 200]
    assert Webhook.objects.get().consecutive_failure_count == 0


def test_backoff_doubles_up_to_six_hours():
    assert [services.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert services.retry_delay(30) == timedelta(hours=6)


def test_a_delivery_is_sent_once_however_often_it_is_asked_for(
    subscribe, receiver, main_user, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)
    delivery = WebhookDelivery.objects.get()

    assert services.deliver(delivery.pk) is None
    assert services.retry_due_deliveries() == 0
    assert len(receiver.requests) == 1


def test_repeated_failures_disable_the_webhook_and_it_says_why(
    subscribe, receiver, main_user, api, agent, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.TIKETTI_WEBHOOK_FAILURE_LIMIT = 3
    created = subscribe(receiver.url)
    receiver.answers = [503] * 10

    with caplog.at_level(logging.WARNING, logger="tiketti.webhooks"):
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(3):
                file_ticket(main_user, subject=f"Vika {number}")
        with django_capture_on_commit_callbacks(execute=True):
            file_ticket(main_user, subject="After disabling")  # no one listens now

    assert len(receiver.requests) == 3
    webhook = Webhook.objects.get()
    assert not webhook.is_active
    assert webhook.disabled_reason == "Disabled after 3 failed attempts in a row."
    disabled_lines = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(disabled_lines) == 1
    assert f"POST /api/v1/webhooks/{webhook.pk}/enable" in disabled_lines[0]
    assert WebhookDelivery.objects.count() == 3
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert services.retry_due_deliveries() == 0  # a disabled webhook's deliveries wait

    listed = api("get", "/webhooks", agent).json()
    assert listed["next"] is None
    assert listed["items"][0]["active"] is False
    assert listed["items"][0]["disabled_reason"] == webhook.disabled_reason
    assert "secret" not in listed["items"][0]

    receiver.answers = []
    with django_capture_on_commit_callbacks(execute=True):
        response = api("post", f"/webhooks/{created['id']}/enable", agent)
    assert response.status_code == 200
    assert response.json()["active"] is True
    assert len(receiver.requests) == 6  # the three that waited
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {"delivered"}


def test_a_delivery_gives_up_after_the_retry_limit(
    subscribe, receiver, main_user, settings, django_capture_on_commit_callbacks
):
    settings.TIKETTI_WEBHOOK_RETRY_LIMIT = 2
    subscribe(receiver.url)
    receiver.answers = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    services.retry_due_deliveries()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count) == ("failed", 2)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert services.retry_due_deliveries() == 0
    assert len(receiver.requests) == 2


def test_redelivery_sends_the_same_body_as_a_new_delivery(
    subscribe, receiver, main_user, api, agent, django_capture_on_commit_callbacks
):
    created = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)
    original = WebhookDelivery.objects.get()
    path = f"/webhooks/{created['id']}/deliveries/{original.pk}/redeliver"

    with django_capture_on_commit_callbacks(execute=True):
        response = api("post", path, agent)

    assert response.status_code == 202, response.content
    assert response.json()["redelivery_of"] == original.pk
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-Tiketti-Delivery"] != second.headers["X-Tiketti-Delivery"]
    log = api("get", f"/webhooks/{created['id']}/deliveries", agent).json()
    assert [d["status"] for d in log["items"]] == ["delivered", "delivered"]
    assert log["items"][0]["attempts"][0]["response_status"] == 200


def test_a_queued_delivery_cannot_be_redelivered(
    subscribe, receiver, main_user, api, agent, django_capture_on_commit_callbacks
):
    created = subscribe(receiver.url)
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)
    delivery = WebhookDelivery.objects.get()
    response = api("post", f"/webhooks/{created['id']}/deliveries/{delivery.pk}/redeliver", agent)
    assert response.status_code == 409
    assert response.json()["code"] == "delivery_pending"


def test_delivery_log_pages_with_a_next_link(
    subscribe, receiver, main_user, api, agent, django_capture_on_commit_callbacks
):
    created = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            file_ticket(main_user, subject=f"Kysymys {number}")
    path = f"/webhooks/{created['id']}/deliveries"

    first = api("get", f"{path}?limit=2", agent).json()
    assert len(first["items"]) == 2
    assert first["next"].startswith("http://testserver/api/v1")
    second = api("get", first["next"].removeprefix("http://testserver/api/v1"), agent).json()
    assert second["next"] is None
    seen = [d["id"] for d in first["items"] + second["items"]]
    assert seen == sorted(WebhookDelivery.objects.values_list("pk", flat=True), reverse=True)


def test_an_agents_edit_is_one_update_event(
    subscribe, receiver, main_user, agent, category, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, events=["ticket.updated"])
    ticket = file_ticket(main_user)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.update_ticket(
            ticket=ticket,
            actor=agent,
            status=Ticket.Status.OPEN,
            priority=Ticket.Priority.HIGH,
            category=category,
            team=None,
            assignee=agent,
        )
    assert len(receiver.requests) == 1
    data = json.loads(receiver.requests[0].body)["data"]["ticket"]
    assert (data["priority"], data["assignee"]["email"]) == ("high", agent.email)


def test_public_replies_are_sent_and_internal_notes_are_not(
    subscribe, receiver, main_user, agent, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, events=["message.created"])
    ticket = file_ticket(main_user)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.post_message(
            ticket=ticket, author=agent, body_text="Salainen", channel="web", is_internal=True
        )
        ticket_services.post_message(
            ticket=ticket, author=agent, body_text="Korjattu", channel="web"
        )
    bodies = [json.loads(r.body)["data"]["message"]["body"] for r in receiver.requests]
    assert bodies == ["Korjattu"]


def test_without_webhooks_a_new_ticket_costs_no_webhook_query(
    main_user, django_capture_on_commit_callbacks
):
    services.subscribed_events.get()  # loaded once per process, then kept
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        file_ticket(main_user)
    assert not [q for q in queries.captured_queries if "webhooks_" in q["sql"]]


def test_internal_and_non_http_targets_are_refused(api, agent, settings):
    settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE = False
    for url, code in [
        ("http://127.0.0.1:8000/hook", "internal_address"),
        ("http://[::1]/hook", "internal_address"),
        ("http://169.254.169.254/latest/meta-data", "internal_address"),
        ("ftp://hooks.example.com/", "invalid_url"),
        ("http://user:pw@hooks.example.com/", "invalid_url"),
    ]:
        response = api("post", "/webhooks", agent, data={"url": url, "events": ["ticket.created"]})
        assert response.status_code == 400, url
        assert response.json()["code"] == code, url
    assert not Webhook.objects.exists()


def test_a_target_turned_internal_is_not_sent_to(
    subscribe, receiver, main_user, settings, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(main_user)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "queued"
    assert "internal address" in delivery.last_error


def test_only_staff_manage_webhooks(api, main_user):
    response = api("get", "/webhooks", main_user)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    response = api(
        "post", "/webhooks", main_user, data={"url": "https://x.example", "events": ["sla.warning"]}
    )
    assert response.status_code == 403


def test_unknown_event_is_refused_and_delete_removes_a_webhook(api, agent, subscribe, receiver):
    response = api("post", "/webhooks", agent, data={"url": receiver.url, "events": ["nope"]})
    assert response.status_code == 422
    created = subscribe(receiver.url)
    assert api("delete", f"/webhooks/{created['id']}", agent).status_code == 204
    assert api("delete", f"/webhooks/{created['id']}", agent).status_code == 404
    assert not Webhook.objects.exists()


def test_the_webhook_list_pages_with_a_next_link(api, agent, subscribe, receiver):
    ids = [subscribe(f"{receiver.url}&n={n}")["id"] for n in range(3)]
    first = api("get", "/webhooks?limit=2", agent).json()
    second = api("get", first["next"].removeprefix("http://testserver/api/v1"), agent).json()
    assert [w["id"] for w in first["items"] + second["items"]] == ids
    assert second["next"] is None
