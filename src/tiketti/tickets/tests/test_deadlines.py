"""SLA on tickets: the policy that applies, the stored deadlines, pauses, met/breached."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tiketti.contracts.models import Contract, Plan
from tiketti.sla.calendar import BUILTIN_CALENDARS
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.tickets import deadlines, services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

ALWAYS_OPEN = {
    "tz": "UTC",
    "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}


@pytest.fixture
def always_open(db):
    return BusinessCalendar.objects.create(name="always", definition=ALWAYS_OPEN)


@pytest.fixture
def helsinki(db):
    return BusinessCalendar.objects.create(
        name="helsinki-9-16", definition=BUILTIN_CALENDARS["helsinki-9-16"].to_json()
    )


def policy(
    calendar, name="Default", position=10, first="4h", following="2h", resolution="48h", **matches
):
    return SlaPolicy.objects.create(
        name=name,
        position=position,
        first_response_target=first,
        first_response_calendar=calendar,
        next_response_target=following,
        next_response_calendar=calendar,
        resolution_target=resolution,
        resolution_calendar=calendar,
        **matches,
    )


def file_ticket(requester, **fields):
    defaults = {"channel": "portal", "subject": "Kassa", "body_text": "Virhe"}
    return submit_request(IntakeRequest(requester=requester, **{**defaults, **fields})).ticket


def age(ticket, **delta):
    """Pretend the ticket arrived earlier and recompute its clocks."""
    ticket.created_at -= timedelta(**delta)
    deadlines.refresh_sla(ticket)
    ticket.save()
    return ticket


def test_new_ticket_stores_its_deadlines(main_user, always_open):
    policy(always_open)
    ticket = file_ticket(main_user)
    assert ticket.sla_policy.name == "Default"
    assert ticket.first_response_due_at == ticket.created_at + timedelta(hours=4)
    assert ticket.first_response_warn_at == ticket.created_at + timedelta(hours=3)
    assert ticket.resolution_due_at == ticket.created_at + timedelta(hours=48)
    assert ticket.next_response_due_at is None


def test_no_matching_policy_means_no_deadlines(main_user, always_open):
    policy(always_open, priorities=["urgent"])
    ticket = file_ticket(main_user)
    assert ticket.sla_policy is None
    assert ticket.first_response_due_at is None and ticket.next_deadline is None


def test_first_matching_policy_in_admin_order_wins(main_user, always_open, category):
    policy(always_open, name="Catch-all", position=9)
    policy(always_open, name="Billing same day", position=1, first="1h", categories=["bug"])
    assert file_ticket(main_user, category_slug="bug").sla_policy.name == "Billing same day"
    assert file_ticket(main_user).sla_policy.name == "Catch-all"


def test_policy_matches_the_organisations_plan(main_user, stranger, always_open):
    gold = Plan.objects.create(name="All-in-one", monthly_support_minutes=900)
    Contract.objects.create(
        organisation=main_user.organisation, plan=gold, starts_on=datetime.date(2024, 1, 1)
    )
    policy(always_open, name="All-in-one", position=1, first="1h", plans=["All-in-one"])
    policy(always_open, name="Others", position=2)
    assert file_ticket(main_user).sla_policy.name == "All-in-one"
    assert file_ticket(stranger).sla_policy.name == "Others"


def test_paid_priority_gets_the_seven_day_policy(main_user, always_open):
    policy(always_open, name="Paid priority", position=1, first="1h", paid_priority=True)
    policy(always_open, name="Normal", position=2, paid_priority=False)
    ticket = file_ticket(main_user)
    assert ticket.sla_policy.name == "Normal"
    ticket.is_paid_priority = True
    deadlines.refresh_sla(ticket)
    assert ticket.sla_policy.name == "Paid priority"


def test_priority_change_recomputes_with_the_new_policy(main_user, agent, always_open):
    policy(always_open, name="Urgent", position=1, first="1h", priorities=["urgent"])
    policy(always_open, name="Normal", position=2, first="8h")
    ticket = file_ticket(main_user)
    ticket = services.classify_ticket(ticket=ticket, actor=agent, category=None, priority="urgent")
    assert ticket.sla_policy.name == "Urgent"
    assert ticket.first_response_due_at == ticket.created_at + timedelta(hours=1)


def test_first_public_reply_in_time_is_met(main_user, agent, always_open):
    policy(always_open)
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=agent, body_text="Hei", channel="portal")
    ticket.refresh_from_db()
    assert ticket.first_response_breached is False
    assert ticket.first_responded_at is not None
    assert ticket.events.filter(kind=TicketEvent.Kind.SLA, new_value="met").exists()


def test_late_first_reply_is_breached(main_user, agent, always_open):
    policy(always_open)
    ticket = age(file_ticket(main_user), hours=5)
    services.post_message(ticket=ticket, author=agent, body_text="Sorry", channel="portal")
    ticket.refresh_from_db()
    assert ticket.first_response_breached is True


def test_internal_note_is_not_a_response(main_user, agent, always_open):
    policy(always_open)
    ticket = file_ticket(main_user)
    services.post_message(
        ticket=ticket, author=agent, body_text="Checking", channel="portal", is_internal=True
    )
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert ticket.first_response_due_at is not None


def test_customer_reply_starts_and_agent_reply_stops_the_next_response_clock(
    main_user, agent, always_open
):
    policy(always_open)
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=agent, body_text="Try this", channel="portal")
    services.post_message(
        ticket=ticket, author=main_user, body_text="Didn't help", channel="portal"
    )
    ticket.refresh_from_db()
    assert ticket.awaiting_response_since is not None
    assert ticket.next_response_due_at == ticket.awaiting_response_since + timedelta(hours=2)
    assert ticket.next_deadline.clock == "next_response"
    assert ticket.promised_answer_at == ticket.next_response_due_at
    services.post_message(ticket=ticket, author=agent, body_text="Now?", channel="portal")
    ticket.refresh_from_db()
    assert ticket.next_response_due_at is None and ticket.awaiting_response_since is None


def test_waiting_on_customer_pauses_the_resolution_clock(main_user, agent, always_open):
    policy(always_open)
    ticket = file_ticket(main_user)
    original_due = ticket.resolution_due_at
    services.post_message(ticket=ticket, author=agent, body_text="Which browser?", channel="portal")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING and ticket.sla_paused_at is not None
    assert all(d.clock != "resolution" for d in ticket.running_deadlines())
    # Three hours pass while the customer thinks.
    Ticket.objects.filter(pk=ticket.pk).update(
        sla_paused_at=ticket.sla_paused_at - timedelta(hours=3)
    )
    ticket.refresh_from_db()
    services.post_message(ticket=ticket, author=main_user, body_text="Firefox", channel="portal")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.sla_paused_at is None
    added_back = ticket.resolution_due_at - original_due
    assert timedelta(hours=3) <= added_back < timedelta(hours=3, minutes=1)


def test_pause_counts_only_business_time(main_user, agent, helsinki):
    policy(helsinki, first="2bd", following="1bd", resolution="16bh")
    ticket = file_ticket(main_user)
    ticket.status = Ticket.Status.WAITING
    # Paused from Friday 15:00 to Monday 10:00 Helsinki: 1 h + 1 h of open time.
    helsinki_tz = datetime.timezone(timedelta(hours=2))
    ticket.sla_paused_at = datetime.datetime(2026, 11, 13, 15, 0, tzinfo=helsinki_tz)
    paused = deadlines._paused_for(
        ticket, ticket.sla_paused_at, datetime.datetime(2026, 11, 16, 10, 0, tzinfo=helsinki_tz)
    )
    assert paused == timedelta(hours=2).total_seconds()


def test_solving_records_resolution_met_and_reopening_clears_it(main_user, agent, always_open):
    policy(always_open)
    ticket = file_ticket(main_user)
    services.post_message(
        ticket=ticket, author=agent, body_text="Fixed", channel="portal", new_status="solved"
    )
    ticket.refresh_from_db()
    assert ticket.resolution_breached is False and ticket.resolved_at is not None
    services.post_message(
        ticket=ticket, author=main_user, body_text="Broken again", channel="portal"
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.resolved_at is None and ticket.resolution_breached is None
    assert ticket.resolution_due_at is not None


def test_queue_breaching_filter(main_user, always_open):
    policy(always_open)
    fresh = file_ticket(main_user)
    late = age(file_ticket(main_user), hours=3, minutes=30)  # past the 75 % warning
    overdue = age(file_ticket(main_user), hours=5)
    assert set(Ticket.objects.breaching()) == {late, overdue}
    assert set(Ticket.objects.breaching(overdue_only=True)) == {overdue}
    assert fresh.next_deadline.state == "ok"
    assert late.next_deadline.state == "soon"
    assert overdue.next_deadline.state == "overdue"


def test_business_deadline_of_a_friday_request_before_independence_day(main_user, helsinki):
    """Monday 6 Dec 2027 is Independence Day: a request on Friday 3 Dec at 15:55 with a
    two-business-day promise is due on Wednesday 8 Dec at 15:55."""
    policy(helsinki, first="2bd", following="1bd", resolution="5bd")
    ticket = file_ticket(main_user)
    ticket.created_at = datetime.datetime(2027, 12, 3, 13, 55, tzinfo=datetime.UTC)
    deadlines.refresh_sla(ticket)
    helsinki_time = ticket.first_response_due_at.astimezone(ZoneInfo("Europe/Helsinki"))
    assert helsinki_time.isoformat() == "2027-12-08T15:55:00+02:00"
