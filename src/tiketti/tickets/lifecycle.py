"""The ticket lifecycle: which status may follow which, validated in one place.

new → open → waiting on customer (or waiting for approval of paid work) → solved → closed;
a customer reply reopens a waiting or solved ticket. Closed is final: a customer who writes
again starts a new request. A customer may close their own request from any status.
"""

from django.utils.translation import gettext as _

from tiketti.accounts.models import User

from .errors import InvalidTransition
from .models import Ticket

Status = Ticket.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.WAITING, Status.WAITING_APPROVAL, Status.SOLVED}),
    Status.OPEN: frozenset({Status.WAITING, Status.WAITING_APPROVAL, Status.SOLVED}),
    Status.WAITING: frozenset({Status.OPEN, Status.WAITING_APPROVAL, Status.SOLVED}),
    # Paid work waits for the customer's written approval of a quote.
    Status.WAITING_APPROVAL: frozenset({Status.OPEN, Status.WAITING, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def check_transition(current: str, new: str) -> None:
    """Raise InvalidTransition unless a ticket in `current` may move to `new`."""
    if new not in Status.values:
        raise InvalidTransition(
            _("“%(status)s” is not a ticket status. Use one of: %(choices)s.")
            % {"status": new, "choices": ", ".join(Status.values)},
            code="unknown_status",
        )
    if new == current:
        return
    if new not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(
            _("A ticket that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Status(current).label, "new": Status(new).label}
        )


def status_after_customer_reply(current: str) -> str:
    """A customer's reply puts the ball back in our court."""
    if current in (Status.WAITING, Status.WAITING_APPROVAL, Status.SOLVED):
        return Status.OPEN
    return current


def customer_may_close(customer: User, ticket: Ticket) -> bool:
    """The requester, or a main user of the ticket's organisation, may close it."""
    if not customer.is_active or customer.is_agent:
        return False
    if customer.pk == ticket.requester_id:
        return True
    return customer.is_main_user and customer.organisation_id == ticket.organisation_id


def allowed_next_statuses(current: str) -> list[str]:
    return [s for s in Status.values if s == current or s in ALLOWED_TRANSITIONS[current]]
