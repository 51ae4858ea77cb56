"""The queue's and the reply box's daily tools: bulk actions on selected tickets, saving
and deleting views, and filling the reply box from a macro. Each works as a plain form
post; the ticket changes go through `tickets.bulk` and `tickets.services`."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tiketti.accounts.models import User
from tiketti.tickets.access import get_ticket_for_agent
from tiketti.tickets.bulk import KEEP, BulkChange, BulkOutcome, Keep, change_tickets, merge_into
from tiketti.tickets.models import Category, Ticket

from .forms import NO_CHANGE, NOBODY, BulkForm, ReplyForm, SaveViewForm
from .macros import macro_text
from .models import Macro, SavedView
from .queues import delete_view, may_share_views, save_view
from .views import HtmxHttpRequest, _agent, _ticket_context, staff_required


def _back_to_queue(request: HtmxHttpRequest) -> HttpResponse:
    query = request.POST.get("next", "")
    target = reverse("desk:queue") + (f"?{query}" if query else "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("desk:queue")
    return redirect(target)


def _bulk_change(data: dict[str, str]) -> BulkChange:
    assignee: User | Keep | None = KEEP
    if data["assignee"] == NOBODY:
        assignee = None
    elif data["assignee"] != NO_CHANGE:
        assignee = User.objects.staff_members().get(pk=int(data["assignee"]))
    category: Category | Keep | None = KEEP
    if data["category"] == NOBODY:
        category = None
    elif data["category"] != NO_CHANGE:
        category = Category.objects.get(pk=int(data["category"]))
    return BulkChange(
        assignee=assignee,
        status=data["status"] or KEEP,
        category=category,
        priority=data["priority"] or KEEP,
    )


def bulk_summary(change: BulkChange, count: int) -> str:
    """“3 tickets assigned to Sanna”: what was done, in words."""
    made = [name for name, value in vars(change).items() if value is not KEEP]
    if made == ["assignee"]:
        if change.assignee is None:
            return ngettext(
                "%(count)d ticket unassigned", "%(count)d tickets unassigned", count
            ) % {"count": count}
        return ngettext(
            "%(count)d ticket assigned to %(name)s", "%(count)d tickets assigned to %(name)s", count
        ) % {"count": count, "name": change.assignee}
    if made == ["status"] and isinstance(change.status, str):
        return ngettext(
            "%(count)d ticket set to “%(status)s”", "%(count)d tickets set to “%(status)s”", count
        ) % {"count": count, "status": Ticket.Status(change.status).label}
    if made == ["category"]:
        name = change.category or _("no category")
        return ngettext(
            "%(count)d ticket moved to the category %(category)s",
            "%(count)d tickets moved to the category %(category)s",
            count,
        ) % {"count": count, "category": name}
    if made == ["priority"] and isinstance(change.priority, str):
        return ngettext(
            "%(count)d ticket given the priority “%(priority)s”",
            "%(count)d tickets given the priority “%(priority)s”",
            count,
        ) % {"count": count, "priority": Ticket.Priority(change.priority).label}
    return ngettext("%(count)d ticket updated", "%(count)d tickets updated", count) % {
        "count": count
    }


def _report(request: HtmxHttpRequest, change: BulkChange, outcome: BulkOutcome) -> None:
    if outcome.changed:
        messages.success(request, bulk_summary(change, len(outcome.changed)))
    for number, reason in outcome.failed:
        messages.error(
            request, _("%(number)s not changed: %(reason)s") % {"number": number, "reason": reason}
        )


@staff_required
@require_POST
def bulk(request: HtmxHttpRequest) -> HttpResponse:
    """Change the tickets ticked in the queue: assign, status, category, priority."""
    form = BulkForm(request.POST)
    numbers = request.POST.getlist("tickets")
    if not form.is_valid():
        messages.error(request, _("Choose what to change from the lists."))
    elif not numbers:
        messages.error(request, _("Select the tickets to change first."))
    elif into := form.cleaned_data["merge_into"].strip():
        change = _bulk_change(form.cleaned_data)
        if change:
            messages.error(request, _("Merge the tickets, or change them: not both at once."))
        else:
            _merge(request, numbers, into)
    else:
        change = _bulk_change(form.cleaned_data)
        if not change:
            messages.error(request, _("Choose what to change from the lists."))
        else:
            outcome = change_tickets(actor=_agent(request), numbers=numbers, change=change)
            _report(request, change, outcome)
    return _back_to_queue(request)


def _merge(request: HtmxHttpRequest, numbers: list[str], into: str) -> None:
    outcome = merge_into(actor=_agent(request), numbers=numbers, into_number=into)
    if outcome.changed:
        count = len(outcome.changed)
        messages.success(
            request,
            ngettext(
                "%(count)d ticket merged into %(number)s",
                "%(count)d tickets merged into %(number)s",
                count,
            )
            % {"count": count, "number": into.upper()},
        )
    for number, reason in outcome.failed:
        messages.error(
            request, _("%(number)s not changed: %(reason)s") % {"number": number, "reason": reason}
        )


@staff_required
@require_POST
def view_save(request: HtmxHttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return _back_to_queue(request)
    data = form.cleaned_data
    filters = dict(parse_qsl(data["filters"], keep_blank_values=True))
    view = save_view(
        agent=_agent(request),
        filters=filters,
        name=data["name"],
        names={code: data[f"name_{code}"] for code in ("en", "fi", "pl")},
        shared=data["shared"],
    )
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.localized_name()})
    return redirect(reverse("desk:queue") + (f"?{data['filters']}" if data["filters"] else ""))


@staff_required
@require_POST
def view_delete(request: HtmxHttpRequest, view_id: int) -> HttpResponse:
    agent = _agent(request)
    own = Q(owner=agent) | Q(owner__isnull=True) if may_share_views(agent) else Q(owner=agent)
    view = get_object_or_404(SavedView.objects.filter(own), pk=view_id)
    delete_view(agent=agent, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.localized_name()})
    return redirect("desk:queue")


@staff_required
@require_POST
def macro_insert(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """Fill the reply box with a macro's text for this ticket, in its requester's
    language; nothing is sent until the agent sends it."""
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    chosen = request.POST.get("macro", "")
    macro = get_object_or_404(Macro.objects.active(), pk=int(chosen) if chosen.isdigit() else 0)
    form = ReplyForm(
        initial={
            "body": macro_text(macro, ticket=ticket, agent=agent),
            "status": macro.status,
            "applied_macro": macro.pk,
            "is_internal": "0",
            "version": request.POST.get("version") or ticket.version,
            "seen_message": request.POST.get("seen_message") or None,
        }
    )
    context = _ticket_context(request, ticket, reply_form=form)
    context["macro_inserted"] = macro
    template = "desk/ticket_detail.html#reply-form" if request.htmx else "desk/ticket_detail.html"
    return render(request, template, context)
