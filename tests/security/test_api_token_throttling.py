"""Bad bearer tokens from one address end in 429 JSON with a stable code and Retry-After."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tiketti.api.models import ApiToken


@pytest.fixture
def limits(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    settings.API_TOKEN_COOLOFF_MINUTES = 15
    return settings


def get_tickets(client, token, ip="203.0.113.20"):
    return client.get(
        "/api/v1/tickets", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=ip
    )


def test_bad_tokens_from_one_address_are_refused_with_429(client, main_user, limits):
    _, good = ApiToken.issue(main_user)
    for attempt in range(3):
        assert get_tickets(client, f"tk_guess{attempt}").status_code == 401
    refused = get_tickets(client, "tk_guess4")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60
    assert refused["Cache-Control"] == "no-store"
    # Even a good token waits: the address is refused, not the token.
    assert get_tickets(client, good).status_code == 429
    # Another address is not held up.
    assert get_tickets(client, good, ip="203.0.113.21").status_code == 200


def test_the_address_may_try_again_after_the_cool_off(client, main_user, limits):
    _, good = ApiToken.issue(main_user)
    for attempt in range(4):
        get_tickets(client, f"tk_guess{attempt}")
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert get_tickets(client, good).status_code == 200


def test_guesses_while_refused_do_not_move_the_time(client, main_user, limits):
    for attempt in range(3):
        get_tickets(client, f"tk_guess{attempt}")
    later = timezone.now() + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        assert get_tickets(client, "tk_more").status_code == 429
    with time_machine.travel(later + timedelta(minutes=6), tick=False):
        assert get_tickets(client, "tk_more").status_code == 401


def test_behind_the_proxy_the_appended_address_counts(client, main_user, limits, settings):
    settings.BEHIND_TLS_PROXY = True
    for attempt in range(3):
        client.get(
            "/api/v1/tickets",
            headers={
                "Authorization": f"Bearer tk_{attempt}",
                "X-Forwarded-For": f"10.0.0.{attempt}, 198.51.100.5",
            },
        )
    refused = client.get(
        "/api/v1/tickets",
        headers={"Authorization": "Bearer tk_x", "X-Forwarded-For": "10.9.9.9, 198.51.100.5"},
    )
    assert refused.status_code == 429


def test_the_schema_documents_401_and_429_on_every_token_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [
        operation
        for methods in schema["paths"].values()
        for operation in methods.values()
        if operation.get("security")
    ]
    assert operations
    for operation in operations:
        assert {"401", "403", "429"} <= set(operation["responses"]), operation["operationId"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
