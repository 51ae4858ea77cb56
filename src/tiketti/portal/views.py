"""Customer-facing pages: file a request, follow it, reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from tiketti.accounts.models import User
from tiketti.contracts.models import Quote
from tiketti.contracts.priority import priority_offer
from tiketti.contracts.quotes import decide_quote
from tiketti.contracts.services import on_call_phone
from tiketti.contracts.timetracking import Usage, month_of, month_usage
from tiketti.knowledge.services import record_shown_suggestions
from tiketti.mail.originals import whole_message_page
from tiketti.tickets.access import (
    get_message_for_user,
    get_ticket_for_user,
    may_read_whole_email,
    visible_messages,
    visible_tickets,
)
from tiketti.tickets.errors import TicketError
from tiketti.tickets.fields import AnswerRow, FieldsInvalid, answer_rows
from tiketti.tickets.forms import (
    add_question_fields,
    incoming_files,
    question_answers,
    show_problems,
)
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, IntakeResult, Outcome, submit_request
from tiketti.tickets.lifecycle import customer_may_close
from tiketti.tickets.models import Category, Ticket
from tiketti.tickets.services import close_ticket_for_customer

from .forms import ReplyForm, RequestForm, add_priority_choice
from .user_agent import prefill_from_user_agent


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


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
        # Customers also see their requests that still wait for staff to accept them.
        tickets = tickets.active()
    page = Paginator(tickets.order_by("-updated_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/ticket_list.html",
        {
            "page": page,
            "show": show,
            "query_string": f"show={show}",
            "sees_organisation": user.is_main_user,
            "usage": _usage(user),
        },
    )


@login_required
def ticket_new(request: HtmxHttpRequest) -> HttpResponse:
    user = _customer(request)
    category = _chosen_category(request)
    showing = request.method == "POST" and "show_questions" in request.POST
    if request.method == "POST" and not showing:
        form = RequestForm(request.POST, request.FILES)
    else:  # the questions of the category chosen so far, nothing checked yet
        form = RequestForm(initial=request.POST.dict() if showing else _initial(request))
    if category is not None:
        prefill = prefill_from_user_agent(request.headers.get("user-agent", ""))
        add_question_fields(form, list(category.form_fields.all()), prefill=prefill)
    if user.is_main_user and user.organisation is not None:
        add_priority_choice(form, priority_offer(user.organisation))
    if request.method == "POST" and not showing and form.is_valid():
        result = _file_request(user, form)
        if result is not None:
            messages.success(request, _filed_message(result))
            return redirect("portal:ticket-detail", result.created_ticket.number)
    context = {"form": form, "category": category}
    if request.htmx and request.method == "GET":
        return render(request, "portal/ticket_new.html#category-questions", context)
    return render(request, "portal/ticket_new.html", context)


def _initial(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in ("subject", "category") if name in request.GET}


def _chosen_category(request: HttpRequest) -> Category | None:
    """The category the form is being filled for (its questions are shown)."""
    value = request.POST.get("category") or request.GET.get("category") or ""
    if not value.isdigit():
        return None
    return Category.objects.filter(pk=int(value), is_active=True).first()


def _file_request(user: User, form: RequestForm) -> IntakeResult | None:
    """File the request; None when intake refused it (the form then says why)."""
    data = form.cleaned_data
    answers, field_files = question_answers(form)
    try:
        result = submit_request(
            IntakeRequest(
                channel=Ticket.Channel.PORTAL,
                requester=user,
                subject=data["subject"],
                body_text=data["description"],
                category_slug=data["category"].slug,
                files=incoming_files(data["attachments"]),
                paid_priority=data.get("priority_ticket", False),
                fields=answers,
                field_files=field_files,
                impact=data["impact"],
                urgency=data["urgency"],
                acute=data.get("acute", False),
            )
        )
    except FieldsInvalid as error:
        show_problems(form, error)
        return None
    except TicketError as error:
        form.add_error(None, error.message)
        return None
    record_shown_suggestions(
        ticket=result.created_ticket, article_ids=data["shown_articles"], query=data["subject"]
    )
    return result


def _filed_message(result: IntakeResult) -> str:
    ticket = result.created_ticket
    phone = on_call_phone(ticket.organisation) if ticket.is_acute else ""
    if phone:
        return _(
            "Your acute incident is ticket %(number)s and our on-call staff have been told. "
            "Call the on-call number now: %(phone)s"
        ) % {"number": ticket.number, "phone": phone}
    number = ticket.number
    if result.reason == "out_of_scope":
        return _(
            "Thank you. This kind of request is outside our support service: our answer "
            "is on the request %(number)s and on its way by e-mail."
        ) % {"number": number}
    if result.outcome == Outcome.HELD:
        return _(
            "Thank you. Your request %(number)s waits for acceptance: in your organisation, "
            "requests are filed by its main users."
        ) % {"number": number}
    return _("Thank you. Your request is ticket %(number)s; a confirmation is on its way.") % {
        "number": number
    }


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _customer(request)
    ticket = get_ticket_for_user(user, number)
    if ticket.merged_into_id is not None and request.method == "GET":
        # The number leads on to where the matter went, if the customer may see it.
        survivor = ticket.survivor()
        if visible_tickets(user).filter(pk=survivor.pk).exists():
            return redirect("portal:ticket-detail", survivor.number)
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
    acute_open = ticket.is_acute and ticket.status not in (
        Ticket.Status.SOLVED,
        Ticket.Status.CLOSED,
    )
    context = {
        "ticket": ticket,
        "on_call_phone": on_call_phone(ticket.organisation) if acute_open else "",
        "thread": visible_messages(user, ticket),
        "form": form,
        "quotes": ticket.quotes.select_related("decided_by"),
        "history": ticket_history(ticket, for_customer=True),
        "may_close": customer_may_close(user, ticket) and not ticket.is_closed,
        "answers": _answers(ticket),
        "scope_answer": (
            ticket.scope_answer.text_for(user.language or ticket.requester.language)
            if ticket.scope_answer
            else ""
        ),
    }
    return render(request, "portal/ticket_detail.html", context)


def _answers(ticket: Ticket) -> list[AnswerRow]:
    fields = list(ticket.category.form_fields.all()) if ticket.category else []
    return answer_rows(fields, ticket.field_answers or {})


def _usage(user: User) -> Usage | None:
    """Main users see how much of the month's included support is used."""
    if not user.is_main_user or user.organisation is None:
        return None
    return month_usage(user.organisation, month_of(timezone.now(), user.organisation))


@login_required
def message_whole(request: HttpRequest, number: str, message_id: int) -> HttpResponse:
    """A reply's whole e-mail, with the quoted history its thread entry leaves out."""
    user = _customer(request)
    ticket = get_ticket_for_user(user, number)
    message = get_message_for_user(user, ticket, message_id)
    if not message.quote_removed or not may_read_whole_email(user, message):
        raise Http404("No such e-mail.")
    back = reverse("portal:ticket-detail", args=[ticket.number])
    return whole_message_page(request, ticket, message, back_url=back)


@login_required
def ticket_close(request: HttpRequest, number: str) -> HttpResponse:
    """Ask first (GET), then close the customer's own request (POST)."""
    user = _customer(request)
    ticket = get_ticket_for_user(user, number)
    if not customer_may_close(user, ticket) or ticket.is_closed:
        return redirect("portal:ticket-detail", ticket.number)
    if request.method == "POST":
        try:
            close_ticket_for_customer(
                ticket=ticket, customer=user, expected_version=_version(request)
            )
        except TicketError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your request %(number)s is closed.") % {"number": number})
        return redirect("portal:ticket-detail", ticket.number)
    return render(request, "portal/ticket_close.html", {"ticket": ticket})


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def quote_decide(request: HttpRequest, number: str, quote_id: int) -> HttpResponse:
    """A main user's written approval (or refusal) of paid work, recorded as given."""
    user = _customer(request)
    ticket = get_ticket_for_user(user, number)
    quote = get_object_or_404(ticket.quotes, pk=quote_id)
    approve = request.POST.get("decision") == "approve"
    try:
        decide_quote(
            quote=quote,
            user=user,
            approve=approve,
            via=Quote.Via.PORTAL,
            from_address=request.META.get("REMOTE_ADDR", ""),
        )
    except TicketError as error:
        messages.error(request, error.message)
    else:
        done = _("Quote approved: we start the work.") if approve else _("Quote declined.")
        messages.success(request, done)
    return redirect("portal:ticket-detail", ticket.number)
