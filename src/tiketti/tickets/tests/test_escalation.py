from datetime import timedelta

import pytest
from django.core import mail
from tests.concurrency import at_once

from tiketti.accounts.tests.factories import UserFactory
from tiketti.operations.periodic import SCHEDULES
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.tickets.escalation import sweep_sla
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import SlaAlert, Ticket

ALWAYS_OPEN = {
    "tz": "UTC",
    "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}


@pytest.fixture
def sla_policy(db):
    calendar = BusinessCalendar.objects.create(name="always", definition=ALWAYS_OPEN)
    return SlaPolicy.objects.create(
        name="Four hours",
        first_response_target="4h",
        first_response_calendar=calendar,
        resolution_target="48h",
        resolution_calendar=calendar,
        reassign_to_lead_on_breach=True,
    )


@pytest.fixture
def lead(team):
    person = UserFactory(
        agent=True, staff_role="team_lead", email="lead@tiketti.example", language="pl"
    )
    person.teams.add(team)
    return person


@pytest.fixture
def ticket(main_user, agent, category, sla_policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = submit_request(
            IntakeRequest(
                channel="portal",
                requester=main_user,
                subject="Kassa",
                body_text="x",
                category_slug="bug",
            )
        ).ticket
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
    mail.outbox.clear()
    return Ticket.objects.get(pk=ticket.pk)


def sweep(at, capture):
    with capture(execute=True):
        return sweep_sla(at)


def test_nothing_fires_before_the_warning_point(ticket, django_capture_on_commit_callbacks):
    assert sweep(ticket.created_at + timedelta(hours=2), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_warning_fires_once_and_tells_assignee_and_lead(
    ticket, lead, django_capture_on_commit_callbacks
):
    at = ticket.created_at + timedelta(hours=3, minutes=10)
    assert sweep(at, django_capture_on_commit_callbacks) == 1
    assert sweep(at, django_capture_on_commit_callbacks) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@tiketti.example", "sanna@tiketti.example"]
    polish = next(m for m in mail.outbox if m.to == ["lead@tiketti.example"])
    assert polish.subject.startswith(f"[{ticket.number}] ")
    assert SlaAlert.objects.get().kind == SlaAlert.Kind.WARNING


def test_breach_escalates_once_raising_priority_and_reassigning(
    ticket, lead, django_capture_on_commit_callbacks
):
    at = ticket.created_at + timedelta(hours=5)
    assert sweep(at, django_capture_on_commit_callbacks) == 1
    assert sweep(at, django_capture_on_commit_callbacks) == 0
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.HIGH
    assert ticket.assignee == lead
    assert ticket.events.filter(kind="sla", new_value="overdue", actor__isnull=True).count() == 1
    assert SlaAlert.objects.filter(kind=SlaAlert.Kind.BREACH).count() == 1


def test_answered_ticket_does_not_escalate(ticket, agent, django_capture_on_commit_callbacks):
    from tiketti.tickets import services

    services.post_message(ticket=ticket, author=agent, body_text="On it", channel="portal")
    assert sweep(ticket.created_at + timedelta(hours=5), django_capture_on_commit_callbacks) == 0


def test_paused_resolution_clock_does_not_escalate(
    ticket, agent, django_capture_on_commit_callbacks
):
    from tiketti.tickets import services

    services.post_message(ticket=ticket, author=agent, body_text="Which browser?", channel="portal")
    assert sweep(ticket.created_at + timedelta(hours=60), django_capture_on_commit_callbacks) == 0


def test_sweep_is_a_scheduled_periodic_job():
    assert any(s.function == "tiketti.tickets.escalation.sweep_sla" for s in SCHEDULES)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_fire_each_alert_once(main_user, sla_policy):
    tickets = [
        submit_request(
            IntakeRequest(channel="portal", requester=main_user, subject=f"t{i}", body_text="x")
        ).ticket
        for i in range(5)
    ]
    at = tickets[-1].created_at + timedelta(hours=5)
    results = at_once(lambda _index: sweep_sla(at), 3)
    assert sum(results) == 5
    assert SlaAlert.objects.count() == 5
