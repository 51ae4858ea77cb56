from django.db import IntegrityError, connection, transaction

from .models import TicketSequence

# One statement takes the number and returns it (SQLite 3.35+ and PostgreSQL).
_TAKE_NEXT = "UPDATE {table} SET last_value = last_value + 1 WHERE prefix = %s RETURNING last_value"


def next_ticket_number(prefix: str) -> str:
    """Hand out the next `PREFIX-1234` number; unique under concurrency.

    Must run inside the transaction that creates the ticket: the UPDATE holds the
    sequence row's lock until commit, so concurrent requests queue instead of colliding,
    and a rolled-back ticket gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(_TAKE_NEXT.format(table=table), [prefix])
            row = cursor.fetchone()
        if row is not None:
            return f"{prefix}-{row[0]}"
        try:
            with transaction.atomic():
                TicketSequence.objects.create(prefix=prefix)
        except IntegrityError:
            pass  # another request created the row first; update it on the next pass
    raise RuntimeError(f"Could not allocate a ticket number for prefix {prefix!r}.")
