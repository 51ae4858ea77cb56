"""`/desk/reports/`: team leads and admins see whether the promises are kept."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tiketti.accounts.models import User

from .charts import bar_chart, week_heat_map
from .figures import Table, all_tables
from .forms import ReportFilterForm

View = Callable[..., HttpResponse]


def may_see_reports(user: User) -> bool:
    return user.is_active and user.staff_role in (User.StaffRole.TEAM_LEAD, User.StaffRole.ADMIN)


def leads_only(view: View) -> View:
    """Reports exist for team leads and admins; to anyone else they are not there."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not may_see_reports(user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _chart(table: Table) -> str:
    if table.key == "volume_hour_of_week":
        return week_heat_map(str(table.title), table, weekday_names())
    return bar_chart(str(table.title), table.chart_bars())


def _csv(tables: list[Table]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tiketti-report.csv"'
    writer = csv.writer(response)
    for table in tables:
        writer.writerow([table.key, *[str(column) for column in table.columns]])
        for row in table.rows:
            writer.writerow([table.key, *["" if value is None else value for value in row]])
    return response


@leads_only
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "desk/reports.html", {"form": form, "tables": []}, status=400)
    tables = all_tables(form.report_filter())
    if request.GET.get("format") == "csv":
        return _csv(tables)
    query = request.GET.copy()
    query["format"] = "csv"
    sections = [(table, _chart(table)) for table in tables]
    return render(
        request,
        "desk/reports.html",
        {"form": form, "sections": sections, "csv_query": query.urlencode()},
    )
