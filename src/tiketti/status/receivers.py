"""When an incident is resolved, its linked tickets are answered by a task."""

from typing import Any

from .signals import incident_resolved
from .tasks import answer_incident_tickets


def on_incident_resolved(sender: object, *, incident_id: int, **kwargs: Any) -> None:
    answer_incident_tickets.enqueue(incident_id)


def connect() -> None:
    incident_resolved.connect(on_incident_resolved, dispatch_uid="status.answer_tickets")
