"""Incident notices: the main users of affected organisations hear, in their language,
when an incident starts and when it is resolved. Reacts to `status.signals`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from tiketti.accounts.models import User
from tiketti.status.models import Incident
from tiketti.status.signals import incident_resolved, incident_started

from .services import send_email

NOTICES = {
    "started": ("start_announced_at", "incident-started"),
    "resolved": ("resolution_announced_at", "incident-resolved"),
}


def incident_recipients(incident: Incident) -> list[User]:
    """Active main users of the affected organisations (all, when none is named) who have
    not opted out."""
    people = User.objects.filter(
        customer_role=User.CustomerRole.MAIN_USER,
        is_active=True,
        organisation__isnull=False,
        receives_incident_notices=True,
    )
    affected = list(incident.organisations.values_list("pk", flat=True))
    if affected:
        people = people.filter(Q(organisation_id__in=affected))
    return list(people.order_by("pk"))


def announce_incident(incident_id: int, notice: str) -> int:
    """Send one notice of an incident, once: the incident's row is claimed with a
    conditional UPDATE in the transaction that stores the mails. Returns how many."""
    field, template = NOTICES[notice]
    with transaction.atomic():
        claimed = Incident.objects.filter(pk=incident_id, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
        if not claimed:
            return 0
        incident = Incident.objects.get(pk=incident_id)
        update = incident.updates.order_by("-created_at", "-pk").first()
        recipients = incident_recipients(incident)
        for person in recipients:
            send_email(
                template=template,
                recipient=person,
                context={"incident": incident, "update": update},
                is_automatic=True,
            )
    return len(recipients)


@task()
def notify_incident(incident_id: int, notice: str) -> None:
    announce_incident(incident_id, notice)


def on_incident_started(sender: object, *, incident_id: int, **kwargs: Any) -> None:
    notify_incident.enqueue(incident_id, "started")


def on_incident_resolved(sender: object, *, incident_id: int, **kwargs: Any) -> None:
    notify_incident.enqueue(incident_id, "resolved")


def connect() -> None:
    incident_started.connect(on_incident_started, dispatch_uid="mail.on_incident_started")
    incident_resolved.connect(on_incident_resolved, dispatch_uid="mail.on_incident_resolved")


def disconnect() -> None:
    incident_started.disconnect(dispatch_uid="mail.on_incident_started")
    incident_resolved.disconnect(dispatch_uid="mail.on_incident_resolved")
