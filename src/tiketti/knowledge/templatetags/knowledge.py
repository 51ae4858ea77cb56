"""`{% suggested_articles ticket %}`: the help-article panel on the desk's ticket page."""

from __future__ import annotations

from typing import Any

from django import template

from tiketti.accounts.models import Language
from tiketti.fulltext import language_or_default
from tiketti.tickets.models import Ticket

from .. import services
from ..access import is_staff_reader

register = template.Library()


@register.inclusion_tag("knowledge/desk_suggestions.html", takes_context=True)
def suggested_articles(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    """Articles that may answer `ticket`, with links in the requester's language."""
    request = context["request"]
    if not is_staff_reader(request.user):
        return {"suggestions": [], "shown": []}
    language = language_or_default(ticket.requester.language)
    return {
        "suggestions": services.suggestions_for_ticket(ticket=ticket, user=request.user),
        "shown": services.shown_before_sending(ticket=ticket, language=language),
        "language_name": Language(language).label,
    }
