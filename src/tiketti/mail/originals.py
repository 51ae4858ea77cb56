"""The whole text of an e-mail whose thread entry shows only its new part.

A reply is stored without its quoted history (`Message.quote_removed`); the e-mail as it
arrived stays in `InboundMessage.raw`, and this page reads it again on demand: no second
stored copy to mask when personal data is removed (that deletes the raw bytes too).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiketti.tickets.models import Message, Ticket

from .models import InboundMessage
from .parsing import parse_email


def whole_text(message: Message) -> str | None:
    """The text of the e-mail `message` came in as, quote and all; None when it is gone
    (deleted with personal data) or was never stored."""
    raw = (
        InboundMessage.objects.filter(ticket_message=message).values_list("raw", flat=True).first()
    )
    if not raw:
        return None
    try:
        return parse_email(bytes(raw)).body_text
    except Exception:  # stored, but unreadable now: the page says it is not available
        return None


def whole_message_page(
    request: HttpRequest, ticket: Ticket, message: Message, *, back_url: str
) -> HttpResponse:
    """The page behind "Show the whole e-mail", for the desk and the portal alike."""
    context = {
        "ticket": ticket,
        "message": message,
        "text": whole_text(message),
        "back_url": f"{back_url}#message-{message.pk}",
    }
    return render(request, "mail/whole_message.html", context)
