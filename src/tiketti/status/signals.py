"""Incident events others react to (mail tells the customers). Sent after commit."""

from django.dispatch import Signal

# sender=Incident, incident_id=int: an incident was opened
incident_started = Signal()
# sender=Incident, incident_id=int: an incident was resolved
incident_resolved = Signal()
