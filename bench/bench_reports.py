"""The reports page's figures over the database as it is (fill it first with
`tiketti bench-data --tickets 200000`): per figure, its queries and the time they take,
for the last 30 days, every team. Prints SQLite's query plan of the slowest queries with
`BENCH_REPORTS_PLANS=1`. The page is fetched as a team lead signed in without a
second factor: run with `TIKETTI_STAFF_2FA_REQUIRED=0`.
"""

import os
import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiketti.desk.reports import figures
from tiketti.tickets.models import Ticket

FIGURES = (
    "sla_compliance",
    "time_distributions",
    "volume_by_channel",
    "volume_by_category",
    "volume_by_organisation",
    "volume_by_hour_of_week",
    "backlog_by_age",
    "quota_consumption",
    "agent_load",
    "deflection",
    "satisfaction",
)


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def _page() -> None:
    """The whole page and its CSV through Django's test client, as a team lead (one is
    made in the bench database if there is none)."""
    from django.test import Client
    from django.urls import reverse

    from tiketti.accounts.models import User

    lead = User.objects.filter(staff_role=User.StaffRole.TEAM_LEAD, is_active=True).first()
    if lead is None:
        lead = User.objects.create_user(
            email="bench-lead@tiketti.example", staff_role=User.StaffRole.TEAM_LEAD
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(lead)
    for query in ({}, {"format": "csv"}):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(reverse("desk:reports"), query)
            taken = time.perf_counter() - started
        label = "page" + (" (csv)" if query else "")
        print(
            f"   {label:<24} {len(queries.captured_queries):>3} queries {taken * 1000:>8.0f} ms"
            f" (HTTP {response.status_code})"
        )


def run() -> None:
    today = timezone.localdate()
    scope = figures.ReportFilter(start=today - timedelta(days=29), end=today)
    print(f"   {Ticket.objects.count():,} tickets; period {scope.start} to {scope.end}")
    total_time, total_queries, slow = 0.0, 0, []
    for name in FIGURES:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            getattr(figures, name)(scope)
            taken = time.perf_counter() - started
        total_time += taken
        total_queries += len(queries.captured_queries)
        print(f"   {name:<24} {len(queries.captured_queries):>3} queries {taken * 1000:>8.0f} ms")
        slow += [(float(q["time"]), q["sql"]) for q in queries.captured_queries]
    print(f"   {'all figures':<24} {total_queries:>3} queries {total_time * 1000:>8.0f} ms")
    _page()
    if os.environ.get("BENCH_REPORTS_PLANS") and connection.vendor == "sqlite":
        for seconds, sql in sorted(slow, reverse=True)[:6]:
            print(f"\n   {seconds * 1000:.0f} ms: {sql[:300]}")
            for line in _plan(sql):
                print(f"      {line}")
