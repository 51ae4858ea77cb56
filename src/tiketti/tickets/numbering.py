from django.db import IntegrityError, transaction
from django.db.models import F

from .models import TicketSequence


def next_ticket_number(prefix: str) -> str:
    """Hand out the next `PREFIX-1234` number; unique under concurrency.

    Must run inside the transaction that creates the ticket: the UPDATE holds the
    sequence row's lock until commit, so concurrent requests queue instead of colliding,
    and a rolled-back ticket gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    for _attempt in range(2):
        updated = TicketSequence.objects.filter(prefix=prefix).update(
            last_value=F("last_value") + 1
        )
        if updated:
            value = TicketSequence.objects.values_list("last_value", flat=True).get(prefix=prefix)
            return f"{prefix}-{value}"
        try:
            with transaction.atomic():
                TicketSequence.objects.create(prefix=prefix)
        except IntegrityError:
            pass  # another request created the row first; update it on the next pass
    raise RuntimeError(f"Could not allocate a ticket number for prefix {prefix!r}.")
