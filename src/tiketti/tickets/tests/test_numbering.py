import pytest
from django.db import connection
from tests.concurrency import at_once

from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket


def _file(requester, subject):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="x")
    ).ticket


def test_numbers_carry_the_prefix_and_count_up(main_user):
    first = _file(main_user, "one")
    second = _file(main_user, "two")
    assert first.number == "AB-1001"
    assert second.number == "AB-1002"


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_unique_numbers(main_user):
    """Many requests at once (threads with their own connections) never share a number."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a file or server database")
    count = 12
    at_once(lambda index: _file(main_user, f"concurrent {index}"), count)
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == count
    assert sorted(numbers) == [f"AB-{1001 + i}" for i in range(count)]
