"""Incident errors, with stable codes like every other domain error."""

from tiketti.tickets.errors import TicketError


class IncidentRefused(TicketError):
    code = "invalid_incident"
    status = 400


class IncidentResolved(TicketError):
    code = "incident_resolved"
    status = 409


class StaffOnly(TicketError):
    code = "forbidden"
    status = 403
