"""Demo incidents: one resolved last week for everyone, one open for the first customer
(its banner shows in the portal until someone resolves it in the admin)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tiketti.accounts.models import Organisation, User

from . import services
from .models import Incident, IncidentUpdate


def load_demo_incidents(*, admin: User, affected: Organisation) -> None:
    now = timezone.now()
    past = services.open_incident(
        author=admin,
        titles={
            "en": "Card payments failed in web shops",
            "fi": "Korttimaksut eivät toimineet verkkokaupoissa",
            "pl": "Płatności kartą nie działały w sklepach internetowych",
        },
        texts={
            "en": "The payment provider's interface answers with errors. We are investigating.",
            "fi": "Maksunvälittäjän rajapinta vastaa virheillä. Selvitämme asiaa.",
            "pl": "Interfejs operatora płatności zwraca błędy. Sprawdzamy przyczynę.",
        },
        started_at=now - timedelta(days=7, hours=3),
    )
    # History: the first update at the start, the fix three hours later.
    IncidentUpdate.objects.filter(incident=past).update(created_at=past.started_at)
    fixed = services.post_update(
        incident=past,
        author=admin,
        state=Incident.State.RESOLVED,
        texts={
            "en": "The provider fixed its interface; payments work again.",
            "fi": "Maksunvälittäjä korjasi rajapintansa; maksut toimivat taas.",
            "pl": "Operator naprawił interfejs; płatności znów działają.",
        },
    )
    fixed_at = past.started_at + timedelta(hours=3)
    IncidentUpdate.objects.filter(pk=fixed.pk).update(created_at=fixed_at)
    Incident.objects.filter(pk=past.pk).update(resolved_at=fixed_at)
    services.open_incident(
        author=admin,
        titles={
            "en": "Shipping labels are slow to print",
            "fi": "Lähetystarrojen tulostus on hidasta",
            "pl": "Drukowanie etykiet wysyłkowych działa wolno",
        },
        texts={
            "en": "Printing a label takes up to a minute. We know the cause and are fixing it.",
            "fi": "Tarran tulostus kestää jopa minuutin. Syy on löydetty ja korjaamme sitä.",
            "pl": "Drukowanie etykiety trwa do minuty. Znamy przyczynę i ją usuwamy.",
        },
        state=Incident.State.IDENTIFIED,
        organisation_ids=[affected.pk],
    )
