"""The desk's triage actions on a ticket: complete the request-form answers, answer a
request as out of scope (or offer it as paid work), correct impact and urgency."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiketti.tickets import triage
from tiketti.tickets.access import get_ticket_for_agent
from tiketti.tickets.errors import TicketError
from tiketti.tickets.fields import FieldsInvalid
from tiketti.tickets.forms import question_answers

from .forms import ScopeForm, answers_form
from .views import _agent, staff_required


@staff_required
@require_POST
def ticket_answers(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = answers_form(ticket, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, _("The answers could not be saved. Reload the page."))
        return redirect("desk:ticket-detail", ticket.number)
    answers, _files = question_answers(form)
    try:
        triage.update_field_answers(
            ticket=ticket, actor=agent, raw=answers, expected_version=form.cleaned_data["version"]
        )
    except FieldsInvalid as error:
        problems = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
        messages.error(request, f"{error.message} {problems}")
    except TicketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Answers saved."))
    return redirect("desk:ticket-detail", ticket.number)


@staff_required
@require_POST
def ticket_out_of_scope(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = ScopeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the answer to send."))
        return redirect("desk:ticket-detail", ticket.number)
    try:
        triage.close_out_of_scope(
            ticket=ticket,
            actor=agent,
            answer=form.cleaned_data["answer"],
            expected_version=form.cleaned_data["version"],
        )
    except TicketError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Answered as out of scope and closed; the requester gets the answer.")
        )
    return redirect("desk:ticket-detail", ticket.number)
