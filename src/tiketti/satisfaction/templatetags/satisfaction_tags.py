from django import template

from tiketti.satisfaction.services import latest_rating
from tiketti.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("satisfaction/ticket_rating.html")
def ticket_rating(ticket: Ticket) -> dict[str, object]:
    return {"survey": latest_rating(ticket)}
