"""The satisfaction survey mail when a ticket is solved, and the team lead's notice of a
bad rating. Reacts to `tickets.signals.ticket_solved` and `satisfaction.signals`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from tiketti.satisfaction import services as satisfaction
from tiketti.satisfaction.models import Survey
from tiketti.satisfaction.signals import rated_bad
from tiketti.tickets.escalation import team_leads
from tiketti.tickets.models import Ticket
from tiketti.tickets.signals import ticket_solved

from .services import may_send_automatic, send_email


def _link(survey: Survey, rating: str) -> str:
    return reverse("satisfaction:rate", args=[satisfaction.rating_token(survey, rating)])


def send_survey(ticket_id: int) -> Survey | None:
    """Ask the requester of a solved ticket to rate it, with one-click good/bad links."""
    ticket = Ticket.objects.select_related("requester").get(pk=ticket_id)
    requester = ticket.requester
    if ticket.status != Ticket.Status.SOLVED or not requester.is_active or requester.is_agent:
        return None
    if not may_send_automatic(requester.email):
        return None
    with transaction.atomic():
        survey = satisfaction.start_survey(ticket=ticket)
        send_email(
            template="satisfaction-survey",
            recipient=requester,
            context={"good_url": _link(survey, "good"), "bad_url": _link(survey, "bad")},
            ticket=ticket,
            is_automatic=True,
        )
    return survey


def announce_bad_rating(survey_id: int) -> int:
    survey = Survey.objects.select_related("ticket").get(pk=survey_id)
    leads = list(team_leads(survey.ticket))
    with transaction.atomic():
        for lead in leads:
            send_email(
                template="bad-rating",
                recipient=lead,
                context={"survey": survey},
                ticket=survey.ticket,
                is_automatic=True,
            )
    return len(leads)


@task()
def notify_ticket_solved(ticket_id: int) -> None:
    send_survey(ticket_id)


@task()
def notify_bad_rating(survey_id: int) -> None:
    announce_bad_rating(survey_id)


def on_ticket_solved(sender: object, *, ticket_id: int, **kwargs: Any) -> None:
    notify_ticket_solved.enqueue(ticket_id)


def on_rated_bad(sender: object, *, survey_id: int, **kwargs: Any) -> None:
    notify_bad_rating.enqueue(survey_id)


def connect() -> None:
    ticket_solved.connect(on_ticket_solved, dispatch_uid="mail.on_ticket_solved")
    rated_bad.connect(on_rated_bad, dispatch_uid="mail.on_rated_bad")


def disconnect() -> None:
    ticket_solved.disconnect(dispatch_uid="mail.on_ticket_solved")
    rated_bad.disconnect(dispatch_uid="mail.on_rated_bad")
