from django.tasks import task

from . import services


@task()
def answer_incident_tickets(incident_id: int) -> None:
    services.answer_linked_tickets(incident_id=incident_id)
