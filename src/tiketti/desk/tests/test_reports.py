"""The reports page on a fixed data set: the figures, the SVG bars and the CSV agree."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.contracts.models import TimeEntry
from tiketti.knowledge.models import Deflection, SearchLog
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.satisfaction.models import Survey
from tiketti.sla.calendar import BUILTIN_CALENDARS
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.status import services as incident_services
from tiketti.tickets import deadlines
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Message, Ticket
from tiketti.tickets.tests.factories import CategoryFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
# Monday 2 November 2026, 10:00 Helsinki
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=HELSINKI)
PERIOD = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture
def lead(db, team):
    user = UserFactory(email="lead@tiketti.example", staff_role="team_lead", language="en")
    user.teams.add(team)
    return user


def _seconds(duration):
    return int(duration.total_seconds()) if duration else None


def make_ticket(
    requester,
    *,
    created,
    channel="portal",
    category=None,
    policy=None,
    team=None,
    responded_after=None,
    resolved_after=None,
    fr_breached=None,
    res_breached=None,
    assignee=None,
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=requester, subject="Kassa", body_text="Apua")
    ).ticket
    fields = {
        "created_at": created,
        "channel": channel,
        "category": category,
        "sla_policy": policy,
        "team": team,
        "assignee": assignee,
        "first_responded_at": created + responded_after if responded_after else None,
        "resolved_at": created + resolved_after if resolved_after else None,
        # As the SLA service stores them when the clocks stop (here: business time of a
        # calendar open around the clock, less nothing paused).
        "first_response_business_seconds": _seconds(responded_after),
        "resolution_business_seconds": _seconds(resolved_after),
        "first_response_breached": fr_breached,
        "resolution_breached": res_breached,
        "first_response_due_at": created + timedelta(hours=4),
        "resolution_due_at": created + timedelta(days=2),
    }
    if resolved_after:
        fields["status"] = Ticket.Status.SOLVED
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    return ticket


@pytest.fixture
def data_set(main_user, stranger, agent, team):
    """Six tickets in November 2026 (four from Aurora, two from Bursztyn), one from October."""
    standard = SlaPolicy.objects.create(name="Standard")
    premium = SlaPolicy.objects.create(name="Premium")
    bug = CategoryFactory(slug="bug", name_en="Bug", team=team)
    billing = CategoryFactory(slug="billing", name_en="Billing", team=team)
    hour = timedelta(hours=1)
    make_ticket(
        main_user,
        created=MONDAY,
        category=bug,
        policy=standard,
        team=team,
        responded_after=hour / 2,
        resolved_after=5 * hour,
        fr_breached=False,
        res_breached=False,
    )
    make_ticket(
        main_user,
        created=MONDAY + hour,
        category=bug,
        policy=standard,
        team=team,
        responded_after=2 * hour,
        resolved_after=30 * hour,
        fr_breached=False,
        res_breached=True,
    )
    make_ticket(
        main_user,
        created=MONDAY + timedelta(days=1),
        channel="email",
        category=billing,
        policy=standard,
        team=team,
        responded_after=6 * hour,
        fr_breached=True,
        assignee=agent,
    )
    make_ticket(
        main_user,
        created=MONDAY + timedelta(days=1, hours=1),
        channel="email",
        category=bug,
        policy=premium,
        responded_after=3 * hour,
        fr_breached=False,
        assignee=agent,
    )
    make_ticket(
        stranger,
        created=MONDAY + timedelta(days=2),
        channel="phone",
        category=billing,
        policy=premium,
        responded_after=10 * hour,
        fr_breached=True,
    )
    make_ticket(stranger, created=MONDAY + timedelta(days=3), channel="email")
    make_ticket(stranger, created=MONDAY - timedelta(days=20), channel="email")  # October
    Message.objects.create(
        ticket=Ticket.objects.order_by("created_at").last(),
        author=agent,
        body_text="Hei",
        channel="portal",
        created_at=MONDAY + timedelta(days=3, hours=2),
    )
    for minutes in (120, 60):
        TimeEntry.objects.create(
            ticket=Ticket.objects.filter(organisation=main_user.organisation).first(),
            organisation=main_user.organisation,
            agent=agent,
            minutes=minutes,
            worked_at=MONDAY + timedelta(days=4),
        )
    article = ArticleFactory()
    for _ in range(2):
        Deflection.objects.create(
            article=article, language="fi", channel="portal", created_at=MONDAY
        )
    for text, found in (("vpn", 0), ("vpn", 0), ("lasku", 3)):
        SearchLog.objects.create(
            query=text,
            normalized=text,
            language="fi",
            source="help_center",
            result_count=found,
            created_at=MONDAY,
        )
    for index, rating in enumerate(("good", "good", "bad")):
        Survey.objects.create(
            ticket=Ticket.objects.filter(team=team).order_by("pk")[index],
            nonce=f"n{index}",
            rating=rating,
            rated_at=MONDAY + timedelta(days=5),
            expires_at=MONDAY + timedelta(days=14),
        )
    return {"standard": standard, "premium": premium}


def get(client, **params):
    return client.get(reverse("desk:reports"), {**PERIOD, **params})


def rows_of(csv_text, key):
    return [row[1:] for row in csv.reader(io.StringIO(csv_text)) if row[0] == key][1:]


def section(page, key):
    match = re.search(rf'data-testid="report-{key}">(.*?)</section>', page, re.S)
    assert match, key
    return match.group(1)


def test_only_team_leads_and_admins_see_reports(client, agent, main_user, lead):
    for person in (agent, main_user):
        client.force_login(person)
        assert get(client).status_code == 404
    client.force_login(lead)
    assert get(client).status_code == 200
    client.force_login(UserFactory(admin=True))
    assert get(client).status_code == 200


def test_figures_of_a_fixed_data_set(client, lead, data_set):
    client.force_login(lead)
    tables = {table.key: table for table, _chart in get(client).context["sections"]}
    sla = tables["sla_compliance"].rows
    assert sla == [
        ("Premium", "", 1, 1, 0, 0, 0, 0, 50.0),
        ("Standard", "Support", 2, 1, 0, 1, 1, 0, 60.0),
    ]
    assert tables["response_times"].rows == [
        ("First response", 5, 3.0, 10.0),
        ("Resolution", 2, 5.0, 30.0),
    ]
    assert tables["volume_channel"].rows == [("e-mail", 3), ("web form", 2), ("phone", 1)]
    assert tables["volume_category"].rows == [("Bug", 3), ("Billing", 2), ("–", 1)]
    assert tables["volume_organisation"].rows == [("Aurora Oy", 4), ("Bursztyn", 2)]
    assert (1, 10, 1) in tables["volume_hour_of_week"].rows
    assert sum(row[2] for row in tables["volume_hour_of_week"].rows) == 6
    assert tables["quota"].rows == [("Aurora Oy", "2026-11", 300, 180, 0, 60.0)]
    assert tables["agent_load"].rows == [("sanna@tiketti.example", 2, 1, 0.03)]
    assert tables["deflection"].rows[0][1] == 2 and tables["deflection"].rows[2][1] == 50.0
    assert tables["searches_without_results"].rows == [("vpn", 2)]
    assert tables["satisfaction"].rows == [("Support", 2, 1, 66.7)]


def test_bars_match_the_rows_and_the_csv_matches_the_page(client, lead, data_set):
    client.force_login(lead)
    response = get(client)
    page = response.content.decode()
    assert page.count('class="bar"') > 0
    assert section(page, "volume_channel").count('<rect class="bar"') == 3
    assert section(page, "backlog_age").count('<rect class="bar"') == 5
    assert section(page, "response_time_buckets").count('<rect class="bar"') == 12
    assert section(page, "volume_hour_of_week").count('<rect class="cell"') == 7 * 24
    assert "<script" not in section(page, "volume_channel")
    exported = get(client, format="csv")
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode()
    for table, _chart in response.context["sections"]:
        expected = [["" if value is None else str(value) for value in row] for row in table.rows]
        assert rows_of(text, table.key) == expected, table.key


def test_filters_narrow_every_figure(client, lead, data_set, stranger):
    client.force_login(lead)
    tables = {
        table.key: table
        for table, _chart in get(client, organisation=stranger.organisation_id).context["sections"]
    }
    assert tables["volume_organisation"].rows == [("Bursztyn", 2)]
    assert tables["quota"].rows == []
    bug = Ticket.objects.filter(category__slug="bug").first().category
    tables = {
        table.key: table for table, _chart in get(client, category=bug.pk).context["sections"]
    }
    assert tables["volume_category"].rows == [("Bug", 3)]
    assert get(client, start="2026-12-01", end="2026-11-01").status_code == 400


def test_breaches_an_admin_excused_for_an_incident_are_not_counted(
    client, lead, data_set, main_user
):
    admin = UserFactory(admin=True)
    incident_services.open_incident(
        author=admin,
        titles={"en": "Outage"},
        texts={"en": "Down"},
        organisation_ids=[main_user.organisation_id],
        is_sla_exempt=True,
        started_at=MONDAY - timedelta(days=1),
    )
    client.force_login(lead)
    tables = {table.key: table for table, _chart in get(client).context["sections"]}
    assert tables["sla_compliance"].rows == [
        ("Premium", "", 1, 1, 0, 0, 0, 0, 50.0),
        ("Standard", "Support", 2, 0, 1, 1, 0, 1, 100.0),
    ]


def test_the_number_of_queries_does_not_grow_with_tickets(client, lead, data_set, main_user):
    client.force_login(lead)
    with CaptureQueriesContext(connection) as before:
        get(client)
    for index in range(15):
        make_ticket(
            main_user, created=MONDAY + timedelta(hours=index), responded_after=timedelta(hours=1)
        )
    with CaptureQueriesContext(connection) as after:
        get(client)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_times_are_business_hours_of_the_sla_calendar(client, lead, main_user):
    """Answers stored through the SLA service on a 9-16 calendar: a Friday 15:50 request
    answered on Monday 9:10 took 20 business minutes, not 65 hours."""
    calendar = BusinessCalendar.objects.create(
        name="helsinki-9-16", definition=BUILTIN_CALENDARS["helsinki-9-16"].to_json()
    )
    business = SlaPolicy.objects.create(
        name="Business", first_response_target="4bh", first_response_calendar=calendar
    )
    for created, answered in (
        (
            datetime(2026, 11, 13, 15, 50, tzinfo=HELSINKI),
            datetime(2026, 11, 16, 9, 10, tzinfo=HELSINKI),
        ),  # 20 min
        (
            datetime(2026, 11, 16, 9, 30, tzinfo=HELSINKI),
            datetime(2026, 11, 16, 11, 0, tzinfo=HELSINKI),
        ),  # 90 min
        (
            datetime(2026, 11, 17, 15, 0, tzinfo=HELSINKI),
            datetime(2026, 11, 18, 10, 0, tzinfo=HELSINKI),
        ),  # 120 min
    ):
        ticket = make_ticket(main_user, created=created)
        ticket.refresh_from_db()
        ticket.sla_policy = business
        deadlines.record_agent_reply(ticket, answered)
        ticket.save()
    client.force_login(lead)
    response = get(client)
    tables = {table.key: table for table, _chart in response.context["sections"]}
    assert tables["response_times"].rows == [
        ("First response", 3, 1.5, 2.0),
        ("Resolution", 0, None, None),
    ]
    assert tables["response_time_buckets"].rows[:3] == [
        ("First response", "< 1 h", 1),
        ("First response", "1–4 h", 2),
        ("First response", "4–8 h", 0),
    ]
    assert section(response.content.decode(), "response_times").count('<rect class="bar"') == 2
    text = get(client, format="csv").content.decode()
    assert rows_of(text, "response_times") == [
        ["First response", "3", "1.5", "2.0"],
        ["Resolution", "0", "", ""],
    ]


# Every figure is a fixed number of grouped queries, whatever the number of tickets.
PAGE_QUERY_BOUND = 25  # 23 today


def test_the_page_needs_a_bounded_number_of_queries(client, lead, data_set):
    client.force_login(lead)
    with CaptureQueriesContext(connection) as page:
        assert get(client).status_code == 200
    assert len(page.captured_queries) <= PAGE_QUERY_BOUND
    with CaptureQueriesContext(connection) as exported:
        assert get(client, format="csv").status_code == 200
    assert len(exported.captured_queries) <= PAGE_QUERY_BOUND


def test_hour_of_week_follows_daylight_saving(client, lead, main_user):
    """Counted per UTC hour by the database, placed by local time: Monday 10:00 in
    Helsinki is 07:00 UTC in summer time and 08:00 UTC in winter time."""
    for day in (19, 26):  # summer time ends on Sunday 25 October 2026
        make_ticket(main_user, created=datetime(2026, 10, day, 10, 0, tzinfo=HELSINKI))
    make_ticket(main_user, created=datetime(2026, 10, 25, 3, 30, tzinfo=HELSINKI))
    client.force_login(lead)
    response = get(client, start="2026-10-01", end="2026-10-31")
    tables = {table.key: table for table, _chart in response.context["sections"]}
    assert tables["volume_hour_of_week"].rows == [(1, 10, 2), (7, 3, 1)]
