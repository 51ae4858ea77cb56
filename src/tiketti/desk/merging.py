"""The ticket page's "Merge into…" and "Split selected messages" (`tickets.merging`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiketti.tickets.access import get_ticket_for_agent, visible_messages
from tiketti.tickets.errors import TicketError
from tiketti.tickets.merging import merge_tickets, split_ticket

from .forms import MergeForm, SplitForm
from .views import _agent, _ticket_context, staff_required


@staff_required
@require_POST
def ticket_merge(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = MergeForm(request.POST)
    if form.is_valid():
        into_number = form.cleaned_data["into"].strip()
        try:
            into = get_ticket_for_agent(agent, into_number)
        except Http404:
            form.add_error("into", _("There is no ticket %(number)s.") % {"number": into_number})
        else:
            try:
                survivor = merge_tickets(ticket=ticket, into=into, actor=agent)
            except TicketError as error:
                form.add_error("into", error.message)
            else:
                messages.success(
                    request,
                    _("%(merged)s was merged into %(number)s.")
                    % {"merged": ticket.number, "number": survivor.number},
                )
                return redirect("desk:ticket-detail", survivor.number)
    context = _ticket_context(request, ticket, merge_form=form)
    return render(request, "desk/ticket_detail.html", context, status=400)


@staff_required
@require_POST
def ticket_split(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = SplitForm(request.POST, thread=list(visible_messages(agent, ticket)))
    if form.is_valid():
        try:
            new = split_ticket(
                ticket=ticket,
                message_ids=form.cleaned_data["messages"],
                subject=form.cleaned_data["subject"],
                actor=agent,
            )
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The selected messages are now the ticket %(number)s.") % {"number": new.number},
            )
            return redirect("desk:ticket-detail", new.number)
    context = _ticket_context(request, ticket, split_form=form)
    return render(request, "desk/ticket_detail.html", context, status=400)
