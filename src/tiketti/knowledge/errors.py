"""Help-center errors, with stable codes like every other domain error."""

from tiketti.tickets.errors import TicketError


class ArticleRefused(TicketError):
    code = "invalid_article"
    status = 400


class StaffOnly(TicketError):
    code = "forbidden"
    status = 403
