"""Customer-facing pages: file a request, follow it, reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiketti.accounts.models import User
from tiketti.tickets.access import get_ticket_for_user, visible_messages, visible_tickets
from tiketti.tickets.errors import TicketError
from tiketti.tickets.forms import incoming_files
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

from .forms import ReplyForm, RequestForm


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_agent:
        return redirect("desk:queue")
    return redirect("portal:ticket-list")


def _customer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    user = _customer(request)
    show = request.GET.get("show", "open")
    tickets = visible_tickets(user).select_related("requester", "category")
    if show == "closed":
        tickets = tickets.filter(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED])
    else:
        show = "open"
        tickets = tickets.unresolved()
    page = Paginator(tickets.order_by("-updated_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/ticket_list.html",
        {"page": page, "show": show, "sees_organisation": user.is_main_user},
    )


@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    user = _customer(request)
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = submit_request(
                IntakeRequest(
                    channel=Ticket.Channel.PORTAL,
                    requester=user,
                    subject=data["subject"],
                    body_text=data["description"],
                    category_slug=data["category"].slug,
                    files=incoming_files(data["attachments"]),
                )
            )
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you. Your request is ticket %(number)s; a confirmation is on its way.")
                % {"number": result.created_ticket.number},
            )
            return redirect("portal:ticket-detail", result.created_ticket.number)
    return render(request, "portal/ticket_new.html", {"form": form})


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _customer(request)
    ticket = get_ticket_for_user(user, number)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_request(
                IntakeRequest(
                    channel=Ticket.Channel.PORTAL,
                    requester=user,
                    subject=ticket.subject,
                    body_text=form.cleaned_data["body"],
                    files=incoming_files(form.cleaned_data["attachments"]),
                    ticket=ticket,
                )
            )
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reply was added."))
            return redirect("portal:ticket-detail", ticket.number)
    context = {
        "ticket": ticket,
        "thread": visible_messages(user, ticket),
        "form": form,
    }
    return render(request, "portal/ticket_detail.html", context)
