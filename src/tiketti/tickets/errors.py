"""Domain errors: each has a stable machine code (API clients rely on it) and a message
translated into the active language (people read it)."""

from django.utils.functional import Promise


class TicketError(Exception):
    code = "ticket_error"
    status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code


class InvalidTransition(TicketError):
    code = "invalid_transition"
    status = 409


class StaleTicket(TicketError):
    code = "stale_ticket"
    status = 409


class IntakeRefused(TicketError):
    code = "intake_refused"
    status = 403


class NotAllowed(TicketError):
    code = "forbidden"
    status = 403


class AttachmentRefused(TicketError):
    code = "attachment_refused"
    status = 413


class AttachmentTypeBlocked(AttachmentRefused):
    """A file of a type the admins' file type policy does not accept."""

    code = "attachment_type_blocked"
    status = 415
