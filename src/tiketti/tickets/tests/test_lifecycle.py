import pytest

from tiketti.tickets.errors import InvalidTransition
from tiketti.tickets.lifecycle import check_transition, status_after_customer_reply

ALLOWED = [
    ("new", "open"),
    ("new", "waiting"),
    ("new", "solved"),
    ("open", "waiting"),
    ("open", "solved"),
    ("waiting", "open"),
    ("waiting", "solved"),
    ("solved", "open"),
    ("solved", "closed"),
]
REFUSED = [
    ("new", "closed"),
    ("open", "new"),
    ("open", "closed"),
    ("waiting", "new"),
    ("waiting", "closed"),
    ("solved", "new"),
    ("solved", "waiting"),
    ("closed", "open"),
    ("closed", "new"),
    ("closed", "solved"),
]


@pytest.mark.parametrize(("current", "new"), ALLOWED)
def test_allowed_transition_passes(current, new):
    check_transition(current, new)


@pytest.mark.parametrize(("current", "new"), REFUSED)
def test_invalid_transition_is_refused_with_a_message(current, new):
    with pytest.raises(InvalidTransition) as caught:
        check_transition(current, new)
    assert caught.value.code == "invalid_transition"
    assert "cannot become" in caught.value.message


def test_unknown_status_is_named_in_the_error():
    with pytest.raises(InvalidTransition) as caught:
        check_transition("open", "pending")
    assert caught.value.code == "unknown_status"
    assert "pending" in caught.value.message and "waiting" in caught.value.message


@pytest.mark.parametrize(
    ("current", "after"),
    [("new", "new"), ("open", "open"), ("waiting", "open"), ("solved", "open")],
)
def test_customer_reply_puts_ticket_back_to_us(current, after):
    assert status_after_customer_reply(current) == after
