"""Desk pages for development ideas and for the staff member's own notices."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiketti.tickets.access import get_ticket_for_agent
from tiketti.tickets.errors import TicketError
from tiketti.tickets.ideas import (
    change_idea_status,
    ideas_with_votes,
    make_idea,
    voting_organisations,
)
from tiketti.tickets.models import Idea, StaffNotice, Ticket

from .forms import IdeaStatusForm, MakeIdeaForm
from .views import _agent, staff_required


@staff_required
def idea_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    ideas = ideas_with_votes()
    if status in Idea.Status.values:
        ideas = ideas.filter(status=status)
    context = {"ideas": ideas[:200], "statuses": Idea.Status.choices, "current": status}
    return render(request, "desk/idea_list.html", context)


@staff_required
def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=idea_id)
    form = IdeaStatusForm(request.POST or None, initial={"status": idea.status})
    if request.method == "POST" and form.is_valid():
        change_idea_status(idea=idea, actor=_agent(request), status=form.cleaned_data["status"])
        messages.success(request, _("Status saved; the customers who asked are told."))
        return redirect("desk:idea-detail", idea.pk)
    tickets = idea.tickets.select_related("organisation", "requester").order_by("created_at")
    context = {
        "idea": idea,
        "form": form,
        "tickets": tickets,
        "organisations": voting_organisations(idea),
    }
    return render(request, "desk/idea_detail.html", context)


@staff_required
@require_POST
def ticket_idea(request: HttpRequest, number: str) -> HttpResponse:
    """Staff action on any ticket: make it an idea, or a vote for one on the list."""
    agent = _agent(request)
    ticket: Ticket = get_ticket_for_agent(agent, number)
    form = MakeIdeaForm(request.POST)
    if form.is_valid():
        try:
            idea = make_idea(ticket=ticket, actor=agent, idea=form.cleaned_data["idea"])
        except TicketError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The ticket is linked to the idea “%s”.") % idea.title)
    return redirect("desk:ticket-detail", ticket.number)


@staff_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The staff member's notices, newest first; opening the page marks them read."""
    agent = _agent(request)
    notices = list(
        StaffNotice.objects.filter(recipient=agent).select_related("ticket__organisation")[:100]
    )
    unread = [notice.pk for notice in notices if notice.read_at is None]
    if unread:
        StaffNotice.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "desk/notice_list.html", {"notices": notices, "unread": set(unread)})
