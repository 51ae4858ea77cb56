"""Contract errors, with stable codes like every other domain error."""

from tiketti.tickets.errors import TicketError


class BookingRefused(TicketError):
    """A booking that cannot be made; `code` says why (`not_main_user`, `not_eligible`,
    `slot_unavailable`, …)."""

    code = "booking_refused"
    status = 409


class StaffOnly(TicketError):
    code = "forbidden"
    status = 403
