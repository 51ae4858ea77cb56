from tiketti.status import services
from tiketti.status.models import Incident


def open_incident(author, *, organisations=(), **kwargs) -> Incident:
    """An incident opened through the service, as staff do."""
    return services.open_incident(
        author=author,
        titles=kwargs.pop(
            "titles",
            {"en": "Payments fail", "fi": "Maksut eivät toimi", "pl": "Płatności nie działają"},
        ),
        texts=kwargs.pop(
            "texts",
            {"en": "We are looking into it.", "fi": "Selvitämme asiaa.", "pl": "Sprawdzamy to."},
        ),
        organisation_ids=[organisation.pk for organisation in organisations],
        **kwargs,
    )


def resolve(incident, author, texts=None) -> None:
    services.post_update(
        incident=incident,
        author=author,
        state=Incident.State.RESOLVED,
        texts=texts or {"en": "Fixed.", "fi": "Korjattu.", "pl": "Naprawione."},
    )
