"""The queue's filters as conditions, and its views (built in and saved) with live counts.

A view is a set of the queue's query parameters. The same parameters filter the list
(`queue_condition`) and count each view: every view's count comes from ONE aggregate
query of conditional counts, and the organisations with most open tickets from one
grouped query, however many views there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tiketti.accounts.models import Team, User
from tiketti.tickets.models import (
    Category,
    Ticket,
    breaching_condition,
    held_condition,
    unresolved_condition,
)
from tiketti.tickets.search import search_condition

from .models import SavedView

UNRESOLVED = "unresolved"
HELD = "held"
ANY = ""
FILTER_NAMES = ("q", "status", "assignee", "team", "category", "priority", "sla", "organisation")
# The organisations with most unresolved tickets get a view of their own.
ORGANISATION_VIEWS = 8


def filters_from(params: Mapping[str, str]) -> dict[str, str]:
    """The queue parameters in `params` (a query string's), without empty optional ones;
    `status` stays even when empty: present and empty means "any status"."""
    filters = {name: str(params[name]).strip() for name in FILTER_NAMES if name in params}
    return {name: value for name, value in filters.items() if value or name == "status"}


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def queue_condition(params: Mapping[str, str], agent: User) -> Q:
    """The tickets the queue parameters select; a value that means nothing is ignored
    (the filter form reports it)."""
    condition = _status_condition(params.get("status", UNRESOLVED))
    assignee = params.get("assignee", "")
    if assignee == "me":
        condition &= Q(assignee=agent)
    elif assignee == "none":
        condition &= Q(assignee__isnull=True)
    elif _id(assignee) is not None:
        condition &= Q(assignee_id=_id(assignee))
    if params.get("sla") in ("soon", "overdue"):
        overdue = params["sla"] == "overdue"
        condition &= unresolved_condition() & breaching_condition(overdue_only=overdue)
    for name in ("team", "category", "organisation"):
        pk = _id(params.get(name, ""))
        if pk is not None:
            condition &= Q(**{f"{name}_id": pk})
    if params.get("priority") in Ticket.Priority.values:
        condition &= Q(priority=params["priority"])
    text = params.get("q", "").strip()
    if text:
        condition &= search_condition(text)
    return condition


def _status_condition(status: str) -> Q:
    if status == UNRESOLVED:
        return unresolved_condition()
    if status == HELD:
        return held_condition()
    if status in Ticket.Status.values:
        return Q(status=status)
    return Q()


@dataclass
class QueueView:
    key: str
    label: str
    filters: dict[str, str]
    group: str
    count: int = 0
    saved: SavedView | None = None
    is_active: bool = False

    @property
    def query_string(self) -> str:
        return urlencode(self.filters)


@dataclass
class ViewGroup:
    label: str
    views: list[QueueView] = field(default_factory=list)
    # The groups "by team", "by category"…: folded away unless one of theirs is chosen.
    is_folded: bool = False

    @property
    def has_active(self) -> bool:
        return any(view.is_active for view in self.views)


def _builtin_views() -> list[QueueView]:
    group = _("Views")
    return [
        QueueView("open", _("All open"), {}, group),
        QueueView("mine", _("Mine"), {"assignee": "me"}, group),
        QueueView("unassigned", _("Unassigned"), {"assignee": "none"}, group),
        QueueView("breaching", _("Breaching soon"), {"sla": "soon"}, group),
        QueueView(
            "approval", _("Waiting for approval"), {"status": Ticket.Status.WAITING_APPROVAL}, group
        ),
        QueueView("held", _("Held for review"), {"status": HELD}, group),
    ]


def queue_views(agent: User, current: Mapping[str, str]) -> list[ViewGroup]:
    """The views an agent sees beside the queue, each with its count; the one whose
    filters are the current ones is marked active."""
    views = _builtin_views()
    for saved in SavedView.objects.filter(Q(owner=agent) | Q(owner__isnull=True)):
        group = _("Shared views") if saved.is_shared else _("My views")
        filters = filters_from(saved.filters)
        views.append(
            QueueView(f"saved-{saved.pk}", saved.localized_name(), filters, group, saved=saved)
        )
    for team in Team.objects.all():
        views.append(QueueView(f"team-{team.pk}", str(team), {"team": str(team.pk)}, _("By team")))
    for category in Category.objects.all():
        views.append(
            QueueView(
                f"category-{category.pk}",
                category.name,
                {"category": str(category.pk)},
                _("By category"),
            )
        )
    for value, priority in Ticket.Priority.choices:
        views.append(
            QueueView(f"priority-{value}", str(priority), {"priority": value}, _("By priority"))
        )
    counts = Ticket.objects.aggregate(
        **{
            f"view_{index}": Count("pk", filter=queue_condition(view.filters, agent))
            for index, view in enumerate(views)
        }
    )
    for index, view in enumerate(views):
        view.count = counts[f"view_{index}"]
    views += _organisation_views()
    chosen = filters_from(current)
    for view in views:
        view.is_active = view.filters == chosen
    groups: dict[str, ViewGroup] = {}
    folded = {_("By team"), _("By category"), _("By priority"), _("By organisation")}
    for view in views:
        shown = groups.setdefault(view.group, ViewGroup(view.group, is_folded=view.group in folded))
        shown.views.append(view)
    return list(groups.values())


def _organisation_views() -> list[QueueView]:
    rows = (
        Ticket.objects.filter(unresolved_condition(), organisation__isnull=False)
        .values("organisation", "organisation__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation__name")[:ORGANISATION_VIEWS]
    )
    group = _("By organisation")
    return [
        QueueView(
            f"organisation-{row['organisation']}",
            row["organisation__name"],
            {"organisation": str(row["organisation"])},
            group,
            count=row["count"],
        )
        for row in rows
    ]


def may_share_views(agent: User) -> bool:
    """Team leads and admins name views for everyone."""
    return agent.staff_role in (User.StaffRole.TEAM_LEAD, User.StaffRole.ADMIN)


def save_view(
    *, agent: User, filters: Mapping[str, str], name: str, names: Mapping[str, str], shared: bool
) -> SavedView:
    """Save the current filters as a personal view, or (team leads, admins) a shared one
    named in each language."""
    if shared and not may_share_views(agent):
        shared = False
    translations = {code: text.strip() for code, text in names.items() if text.strip()}
    default = name.strip() or translations.get("en") or next(iter(translations.values()), "")
    return SavedView.objects.create(
        owner=None if shared else agent,
        name=default[:100],
        name_translations=translations if shared else {},
        filters=filters_from(filters),
    )


def delete_view(*, agent: User, view: SavedView) -> None:
    """Delete a view: one's own, or a shared one as a team lead or admin."""
    if view.owner_id == agent.pk or (view.is_shared and may_share_views(agent)):
        view.delete()
