from django import template
from django.utils import translation

from tiketti.status.banner import open_incidents
from tiketti.status.models import Incident, IncidentTicket
from tiketti.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("status/banner.html")
def incident_banner() -> dict[str, object]:
    language = translation.get_language() or "en"
    incidents = [(incident, incident.title_in(language)) for incident in open_incidents()]
    return {"incidents": incidents}


@register.inclusion_tag("status/ticket_incidents.html", takes_context=True)
def ticket_incidents(context: template.Context, ticket: Ticket) -> dict[str, object]:
    """The desk ticket page's incident box: linked incidents, and open ones to link."""
    links = IncidentTicket.objects.filter(ticket=ticket).select_related("incident")
    linked = [link.incident for link in links]
    linked_ids = {incident.pk for incident in linked}
    candidates = [
        incident
        for incident in Incident.objects.open().prefetch_related("organisations")
        if incident.pk not in linked_ids
    ]
    # Suggested first: an incident that affects the ticket's organisation and had begun
    # when the ticket came in.
    suggested = [
        incident
        for incident in candidates
        if incident.affects(ticket.organisation_id) and incident.started_at <= ticket.created_at
    ]
    others = [incident for incident in candidates if incident not in suggested]
    return {
        "ticket": ticket,
        "linked": linked,
        "candidates": suggested + others,
        "suggested": suggested,
        "csrf_token": context.get("csrf_token"),
    }
