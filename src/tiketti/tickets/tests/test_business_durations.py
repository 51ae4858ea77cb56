"""How long each SLA clock ran, in business time of its calendar, stored when it stops."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from tiketti.sla.calendar import BUILTIN_CALENDARS
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.tickets import deadlines, services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

HKI = ZoneInfo("Europe/Helsinki")
OPEN, WAITING, SOLVED, CLOSED = (
    Ticket.Status.OPEN,
    Ticket.Status.WAITING,
    Ticket.Status.SOLVED,
    Ticket.Status.CLOSED,
)


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=HKI)


@pytest.fixture
def helsinki_policy(db):
    calendar = BusinessCalendar.objects.create(
        name="helsinki-9-16", definition=BUILTIN_CALENDARS["helsinki-9-16"].to_json()
    )
    return SlaPolicy.objects.create(
        name="Business",
        first_response_target="4bh",
        first_response_calendar=calendar,
        resolution_target="16bh",
        resolution_calendar=calendar,
    )


def ticket_created(requester, policy, created: datetime) -> Ticket:
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=requester, subject="Kassa", body_text="Apua")
    ).ticket
    ticket.created_at = created
    ticket.sla_policy = policy
    return ticket


# 2026-11-13 is a Friday; 2027-01-06 (Epiphany) a Wednesday holiday in Finland.
FIRST_RESPONSES = [
    ("Friday 15:50 to Monday 9:10", at("2026-11-13", "15:50"), at("2026-11-16", "09:10"), 20),
    ("within one open day", at("2026-11-16", "09:30"), at("2026-11-16", "11:00"), 90),
    ("over a holiday", at("2027-01-05", "15:00"), at("2027-01-07", "10:00"), 120),
    ("all of it at the weekend", at("2026-11-14", "10:00"), at("2026-11-15", "12:00"), 0),
    ("before opening to opening", at("2026-11-16", "07:00"), at("2026-11-16", "09:00"), 0),
    ("over the DST change", at("2026-10-23", "15:00"), at("2026-10-26", "10:00"), 120),
]


@pytest.mark.parametrize(
    ("case", "created", "answered", "minutes"), FIRST_RESPONSES, ids=[c[0] for c in FIRST_RESPONSES]
)
def test_first_response_in_business_minutes(
    main_user, helsinki_policy, case, created, answered, minutes
):
    ticket = ticket_created(main_user, helsinki_policy, created)
    deadlines.record_agent_reply(ticket, answered)
    assert ticket.first_response_business_seconds == minutes * 60, case


def test_wall_clock_target_counts_wall_clock_time(main_user, helsinki_policy):
    helsinki_policy.first_response_target = "4h"
    ticket = ticket_created(main_user, helsinki_policy, at("2026-11-13", "15:50"))
    deadlines.record_agent_reply(ticket, at("2026-11-16", "09:10"))
    assert ticket.first_response_business_seconds == (2 * 24 * 60 + 17 * 60 + 20) * 60


def test_no_policy_stores_nothing(main_user):
    ticket = ticket_created(main_user, None, at("2026-11-16", "09:30"))
    deadlines.record_agent_reply(ticket, at("2026-11-16", "11:00"))
    assert ticket.first_responded_at is not None
    assert ticket.first_response_business_seconds is None


# (status, at) steps after creation on Monday 2 November 10:00; business hours at the end.
RESOLUTIONS = [
    ("solved the same day", [(SOLVED, at("2026-11-02", "13:00"))], 3),
    ("solved the next day", [(SOLVED, at("2026-11-03", "11:00"))], 8),
    (
        # Open 10-12 Mon; waiting 12 Mon to 10 Tue (5 open hours, not counted); 10-13 Tue.
        "waiting on the customer pauses it",
        [
            (WAITING, at("2026-11-02", "12:00")),
            (OPEN, at("2026-11-03", "10:00")),
            (SOLVED, at("2026-11-03", "13:00")),
        ],
        5,
    ),
    (
        "closed while waiting: the running pause is left out",
        [(WAITING, at("2026-11-02", "12:00")), (CLOSED, at("2026-11-04", "10:00"))],
        2,
    ),
    (
        # Solved Mon 13:00 (3 h), reopened Tue 10:00, solved again Tue 12:00 (2 h more).
        "reopened and solved again",
        [
            (SOLVED, at("2026-11-02", "13:00")),
            (OPEN, at("2026-11-03", "10:00")),
            (SOLVED, at("2026-11-03", "12:00")),
        ],
        5,
    ),
]


@pytest.mark.parametrize(("case", "steps", "hours"), RESOLUTIONS, ids=[c[0] for c in RESOLUTIONS])
def test_resolution_in_business_hours_less_pauses(main_user, helsinki_policy, case, steps, hours):
    ticket = ticket_created(main_user, helsinki_policy, at("2026-11-02", "10:00"))
    status = OPEN
    for new, moment in steps:
        if status in (SOLVED, CLOSED):
            assert ticket.resolution_business_seconds is not None
        deadlines.record_status_change(ticket, status, new, moment)
        if new == OPEN:
            assert ticket.resolution_business_seconds is None
        status = new
    assert ticket.resolution_business_seconds == hours * 3600, case


def test_services_store_the_durations_and_reopening_clears_resolution(
    main_user, agent, helsinki_policy
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="Apua")
    ).ticket
    assert ticket.sla_policy == helsinki_policy
    services.post_message(
        ticket=ticket, author=agent, body_text="Fixed", channel="portal", new_status="solved"
    )
    ticket.refresh_from_db()
    assert ticket.first_response_business_seconds is not None
    assert ticket.resolution_business_seconds is not None
    services.post_message(ticket=ticket, author=main_user, body_text="Again", channel="portal")
    ticket.refresh_from_db()
    assert ticket.resolution_business_seconds is None
    assert ticket.first_response_business_seconds is not None


def test_migration_backfills_stopped_clocks(main_user, helsinki_policy):
    ticket = ticket_created(main_user, helsinki_policy, at("2026-11-13", "15:50"))
    ticket.first_responded_at = at("2026-11-16", "09:10")
    ticket.resolved_at = ticket.sla_paused_at = at("2026-11-16", "12:00")
    ticket.save()
    running = ticket_created(main_user, helsinki_policy, at("2026-11-16", "10:00"))
    running.save()
    migration = importlib.import_module("tiketti.tickets.migrations.0022_ticket_business_seconds")
    migration.backfill(apps, None)
    ticket.refresh_from_db()
    running.refresh_from_db()
    assert ticket.first_response_business_seconds == 20 * 60
    assert ticket.resolution_business_seconds == (10 + 3 * 60) * 60
    assert running.first_response_business_seconds is None
    assert running.resolution_business_seconds is None
