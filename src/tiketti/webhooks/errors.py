"""Refusals with stable codes; the API answers them as JSON with the status given here."""

from tiketti.tickets.errors import TicketError


class WebhookForbidden(TicketError):
    code = "forbidden"
    status = 403


class WebhookConflict(TicketError):
    code = "conflict"
    status = 409
