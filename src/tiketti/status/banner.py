"""The open incidents every portal page shows, kept briefly in memory (one query per
process every 30 seconds; saving an incident here forgets it at once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tiketti.reference_data import ReferenceData

from .models import Incident, in_language


@dataclass(frozen=True)
class OpenIncident:
    pk: int
    state: str
    started_at: datetime
    titles: dict[str, str]

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    @property
    def state_label(self) -> str:
        return str(Incident.State(self.state).label)


def _load() -> list[OpenIncident]:
    return [
        OpenIncident(
            pk=incident.pk,
            state=incident.state,
            started_at=incident.started_at,
            titles={
                language: in_language(incident, "title", language)
                for language in ("en", "fi", "pl")
            },
        )
        for incident in Incident.objects.open().order_by("-started_at", "-pk")
    ]


OPEN_INCIDENTS = ReferenceData(_load, watch=["status.Incident", "status.IncidentUpdate"])


def open_incidents() -> list[OpenIncident]:
    return OPEN_INCIDENTS.get()
