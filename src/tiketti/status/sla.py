"""Which SLA breaches an incident excuses, as a database expression reports filter on.

A breach is excused only when an admin marked the incident so (`is_sla_exempt`, with who
and when): the ticket is linked to such an incident, or the incident affected the ticket's
organisation (or everyone) and was open while the clock ran, i.e. it started before the
deadline and had not been resolved before the ticket was created.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .models import Incident, IncidentTicket

CLOCK_DUE_FIELDS = {
    "first_response": "first_response_due_at",
    "resolution": "resolution_due_at",
}


def breach_excused(clock: str) -> Q:
    """True for a ticket whose breach of `clock` an SLA-exempt incident excuses."""
    due = CLOCK_DUE_FIELDS[clock]
    linked = IncidentTicket.objects.filter(ticket_id=OuterRef("pk"), incident__is_sla_exempt=True)
    overlapping = Incident.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=OuterRef("created_at")),
        is_sla_exempt=True,
        started_at__lte=OuterRef(due),
    ).filter(Q(organisations__isnull=True) | Q(organisations=OuterRef("organisation_id")))
    return Q(Exists(linked)) | Q(Exists(overlapping))
