"""Staff pages: the queue and the ticket workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from tiketti.accounts.models import User
from tiketti.contracts.quotes import create_quote
from tiketti.contracts.timetracking import log_time, month_of, month_usage
from tiketti.mail import imap
from tiketti.mail.held import discard_held, retry_held
from tiketti.mail.models import InboundMessage
from tiketti.mail.originals import whole_message_page
from tiketti.mail.parsing import parse_email
from tiketti.mail.reasons import describe_for_staff, reason_label, status_label
from tiketti.mail.redaction import codes_remain, redact_personal_data
from tiketti.tickets import services, triage
from tiketti.tickets.access import (
    get_ticket_for_agent,
    may_download_original_mail,
    visible_messages,
)
from tiketti.tickets.errors import TicketError
from tiketti.tickets.fields import answer_rows
from tiketti.tickets.forms import incoming_files
from tiketti.tickets.history import ticket_history
from tiketti.tickets.models import Message, Ticket, TicketQuerySet
from tiketti.tickets.search import ticket_number_in

from . import collisions
from .customer_panel import customer_panel
from .forms import (
    AcceptHeldForm,
    BulkForm,
    MakeIdeaForm,
    MergeForm,
    PropertiesForm,
    QueueFilterForm,
    QuoteForm,
    ReplyForm,
    SaveViewForm,
    SplitForm,
    TimeEntryForm,
    answers_form,
    scope_forms,
)
from .macros import reply_with_macro
from .models import Macro
from .queues import HELD, may_share_views, queue_condition, queue_views

View = Callable[..., HttpResponse]


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def staff_required(view: View) -> View:
    """Desk pages exist only for staff; to anyone else they are not there at all."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_agent:  # type: ignore[union-attr]
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _agent(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def filter_queue(form: QueueFilterForm, agent: User) -> TicketQuerySet:
    """The queue's tickets for its filters; a ticket number finds its ticket whatever
    the other filters say (a solved ticket too)."""
    tickets = Ticket.objects.select_related(
        "requester", "organisation", "assignee", "team", "category"
    )
    if not form.is_valid():
        return tickets.unresolved()
    number = ticket_number_in(form.cleaned_data["q"])
    if number is not None:
        return tickets.filter(number=number)
    return tickets.filter(queue_condition(form.data, agent))


@staff_required
def queue(request: HtmxHttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = QueueFilterForm(request.GET)
    tickets = filter_queue(form, agent)
    # Priority first, then paid priority (MISSION R15), then the least SLA time left.
    ordered = tickets.in_queue_order()
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "held_filter": HELD,
        "bulk_form": BulkForm(),
        "by_number": form.is_valid() and ticket_number_in(form.cleaned_data["q"]) is not None,
    }
    if not request.htmx:
        groups = queue_views(agent, request.GET)
        # Held requests are not in the default queue: say how many wait for a person.
        held = next(view for group in groups for view in group.views if view.key == "held")
        context |= {
            "view_groups": groups,
            "held_waiting": held.count,
            "save_view_form": SaveViewForm(initial={"filters": query.urlencode()}),
            "may_share_views": may_share_views(agent),
        }
    template = "desk/queue.html#queue-results" if request.htmx else "desk/queue.html"
    return render(request, template, context)


def _ticket_context(request: HttpRequest, ticket: Ticket, **forms: Any) -> dict[str, Any]:
    agent = _agent(request)
    thread = list(visible_messages(agent, ticket))
    seen = {"version": ticket.version, "seen_message": max((m.pk for m in thread), default=0)}
    present = collisions.others(ticket, agent)  # read only: the page's poll reports
    questions = list(ticket.category.form_fields.all()) if ticket.category else []
    return {
        "ticket": ticket,
        "thread": thread,
        # The notice and the buttons stay while a customer's message holds an identity code.
        "codes_remain": codes_remain(ticket, thread),
        "reply_form": forms.get("reply_form") or ReplyForm(initial=seen),
        "newer_messages": forms.get("newer_messages", []),
        "present": present,
        "presence_shown": collisions.signature(present),
        "presence_poll_seconds": collisions.POLL_SECONDS,
        "properties_form": forms.get("properties_form") or _properties_form(ticket),
        "history": ticket_history(ticket),
        "accept_form": AcceptHeldForm(organisation_id=ticket.organisation_id),
        "time_form": forms.get("time_form") or TimeEntryForm(),
        "quote_form": forms.get("quote_form") or QuoteForm(),
        "time_entries": ticket.time_entries.select_related("agent")[:20],
        "quotes": ticket.quotes.select_related("decided_by"),
        "usage": (
            month_usage(ticket.organisation, month_of(timezone.now(), ticket.organisation))
            if ticket.organisation
            else None
        ),
        "outgoing": ticket.outgoing_emails.order_by("-created_at")[:20],
        "customer": customer_panel(ticket),
        "idea_form": MakeIdeaForm(),
        "answers": answer_rows(questions, ticket.field_answers or {}),
        "answers_form": answers_form(ticket),
        **scope_forms(ticket),
        "macros": Macro.objects.active(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "split_form": forms.get("split_form") or SplitForm(thread=thread),
    }


def _properties_form(ticket: Ticket, data: Any = None) -> PropertiesForm:
    # Its own ids: the reply form on the same page also has status and version fields.
    return PropertiesForm(
        data,
        auto_id="id_properties_%s",
        initial={
            "status": ticket.status,
            "priority": ticket.priority,
            "impact": ticket.impact,
            "urgency": ticket.urgency,
            "category": ticket.category_id,
            "team": ticket.team_id,
            "assignee": ticket.assignee_id,
            "version": ticket.version,
        },
    )


@staff_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = get_ticket_for_agent(_agent(request), number)
    if ticket.merged_into_id is not None:  # the number leads on to where the matter went
        return redirect("desk:ticket-detail", ticket.survivor().number)
    return render(request, "desk/ticket_detail.html", _ticket_context(request, ticket))


@staff_required
@require_POST
def ticket_reply(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        newer = collisions.newer_customer_messages(ticket, data["seen_message"])
        # "Send anyway" is the button shown with the newer message.
        if newer and request.POST.get("send_anyway") != "1":
            return _ask_before_sending(request, ticket, newer)
        try:
            _send_reply(ticket, agent, data)
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            collisions.stopped_writing(ticket, agent)
            done = _("Internal note added.") if data["is_internal"] else _("Reply sent.")
            messages.success(request, done)
            return redirect("desk:ticket-detail", ticket.number)
    context = _ticket_context(request, ticket, reply_form=form)
    return render(request, "desk/ticket_detail.html", context, status=400)


def _ask_before_sending(request: HttpRequest, ticket: Ticket, newer: list[Message]) -> HttpResponse:
    """The customer wrote again after the agent's page was drawn: show the new message and
    the form again with the text kept, now up to date, with a "send anyway" button."""
    data = request.POST.copy()
    data["version"] = str(ticket.version)
    data["seen_message"] = str(max(message.pk for message in newer))
    form = ReplyForm(data)
    context = _ticket_context(request, ticket, reply_form=form, newer_messages=newer)
    context["files_dropped"] = bool(request.FILES)
    return render(request, "desk/ticket_detail.html", context, status=409)


@staff_required
@require_POST
def ticket_presence(request: HttpRequest, number: str) -> HttpResponse:
    """The ticket page's report (its poll, or "writing" when its agent types); answers
    with who else is there, for the page's polite live region."""
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    collisions.report(ticket, agent, writing=request.POST.get("writing") == "1")
    present = collisions.others(ticket, agent)
    if request.POST.get("shown") == collisions.signature(present):
        # Unchanged: no swap, so screen readers do not hear the same note every poll.
        return HttpResponse(status=204)
    context = {"present": present, "presence_shown": collisions.signature(present)}
    return render(request, "desk/presence.html", context)


def _send_reply(ticket: Ticket, agent: User, data: dict[str, Any]) -> None:
    arguments = {
        "body_text": data["body"],
        "is_internal": data["is_internal"],
        "files": incoming_files(data["attachments"]),
        "new_status": data["status"] or None,
        "expected_version": data["version"],
    }
    if data["applied_macro"] is not None:
        reply_with_macro(ticket=ticket, agent=agent, macro=data["applied_macro"], **arguments)
    else:
        services.post_message(
            ticket=ticket, author=agent, channel=Ticket.Channel.PORTAL, **arguments
        )


@staff_required
@require_POST
def ticket_properties(request: HtmxHttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = _properties_form(ticket, request.POST)
    status = 200
    if form.is_valid():
        try:
            ticket = _apply_properties(ticket, agent, form.cleaned_data)
        except TicketError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, _("Ticket updated."))
            if not request.htmx:
                return redirect("desk:ticket-detail", ticket.number)
            form = _properties_form(ticket)
    else:
        status = 400
    context = _ticket_context(request, ticket, properties_form=form)
    template = "desk/ticket_detail.html#properties" if request.htmx else "desk/ticket_detail.html"
    return render(request, template, context, status=status)


def _apply_properties(ticket: Ticket, agent: User, data: dict[str, Any]) -> Ticket:
    return triage.edit_properties(
        ticket=ticket,
        actor=agent,
        changes=services.PropertyChanges(
            status=data["status"],
            priority=data["priority"],
            category=data["category"],
            team=data["team"],
            assignee=data["assignee"],
        ),
        impact=data["impact"],
        urgency=data["urgency"],
        expected_version=data["version"],
    )


@staff_required
def mail_queue(request: HttpRequest) -> HttpResponse:
    """Received e-mail that needs a person: held for review, or failed to process."""
    held = InboundMessage.objects.needing_attention().select_related("mailbox", "ticket")
    page = Paginator(held, 50).get_page(request.GET.get("page"))
    since = timezone.now() - timedelta(days=7)
    counts = (
        InboundMessage.objects.filter(received_at__gte=since)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    labels = dict(InboundMessage.Status.choices)
    week = [(labels[row["status"]], row["count"]) for row in counts]
    problems = imap.mailbox_problems()
    # Each message with its reason in words (the code itself is for logs and the CLI).
    rows = [(item, reason_label(item.reason), status_label(item)) for item in page.object_list]
    context = {"page": page, "rows": rows, "week": week, "mailbox_problems": problems}
    return render(request, "desk/mail_queue.html", context)


@staff_required
def mail_detail(request: HttpRequest, inbound_id: int) -> HttpResponse:
    """One held or failed message as it reads (never its HTML: text only), so staff decide
    with the message in front of them, not only its sender and subject."""
    held = InboundMessage.objects.needing_attention()
    earlier = held.select_related("reuses_message_id_of__ticket")
    item = get_object_or_404(earlier.defer("reuses_message_id_of__raw"), pk=inbound_id)
    raw = bytes(item.raw)
    try:
        parsed = parse_email(raw) if raw else None
    except Exception:  # the reason it failed is on the page; the original is still there
        parsed = None
    context = {
        "item": item,
        "parsed": parsed,
        "reason": reason_label(item.reason),
        "status": status_label(item),
    }
    return render(request, "desk/mail_detail.html", context)


@staff_required
def mail_original(request: HttpRequest, inbound_id: int) -> HttpResponse:
    """A held or failed message exactly as it arrived."""
    item = get_object_or_404(InboundMessage.objects.needing_attention(), pk=inbound_id)
    if not bytes(item.raw):
        raise Http404("No original e-mail is stored for this message.")
    return _eml_download(bytes(item.raw), f"received-{item.pk}.eml")


def _eml_download(raw: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(raw, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def mail_retry(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound_message = get_object_or_404(InboundMessage.objects.needing_attention(), pk=inbound_id)
    result = retry_held(inbound_message, _agent(request))
    messages.info(
        request, _("Processed again: %(outcome)s") % {"outcome": describe_for_staff(result)}
    )
    return redirect("desk:mail-queue")


@staff_required
@require_POST
def mail_discard(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound_message = get_object_or_404(InboundMessage.objects.needing_attention(), pk=inbound_id)
    discard_held(inbound_message, _agent(request))
    messages.info(request, _("Discarded. The original stays stored and countable."))
    return redirect("desk:mail-queue")


@staff_required
@require_POST
def message_redact(request: HttpRequest, number: str, message_id: int) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    message = get_object_or_404(ticket.messages, pk=message_id)
    count = redact_personal_data(message=message, actor=agent)
    messages.success(
        request, _("Personal data removed: %(count)d code(s) masked.") % {"count": count}
    )
    return redirect("desk:ticket-detail", ticket.number)


@staff_required
def message_whole(request: HttpRequest, number: str, message_id: int) -> HttpResponse:
    """A reply's whole e-mail as text, with the quoted history the thread leaves out."""
    ticket = get_ticket_for_agent(_agent(request), number)
    message = get_object_or_404(ticket.messages, pk=message_id, quote_removed=True)
    back = reverse("desk:ticket-detail", args=[ticket.number])
    return whole_message_page(request, ticket, message, back_url=back)


@staff_required
def message_original(request: HttpRequest, number: str, message_id: int) -> HttpResponse:
    """The e-mail exactly as it arrived (quoted history, signatures, all headers)."""
    ticket = get_ticket_for_agent(_agent(request), number)
    message = get_object_or_404(ticket.messages, pk=message_id)
    original = InboundMessage.objects.filter(ticket_message=message).first()
    if original is None:
        raise Http404("No original e-mail is stored for this message.")
    if not may_download_original_mail(_agent(request), message):
        messages.info(
            request,
            _(
                "The original e-mail holds a file of a blocked type; only an administrator "
                "can download it."
            ),
        )
        return redirect("desk:ticket-detail", ticket.number)
    if not bytes(original.raw):  # deleted with the identity codes it held
        messages.info(
            request, _("The original e-mail was deleted when personal data was removed from it.")
        )
        return redirect("desk:ticket-detail", ticket.number)
    return _eml_download(bytes(original.raw), f"{ticket.number}-{message.pk}.eml")


@staff_required
@require_POST
def ticket_accept(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = AcceptHeldForm(request.POST, organisation_id=ticket.organisation_id)
    if not form.is_valid():
        messages.error(request, _("Choose a main user of the ticket's organisation."))
        return redirect("desk:ticket-detail", ticket.number)
    try:
        services.accept_held_ticket(
            ticket=ticket, actor=agent, on_behalf_of=form.cleaned_data["on_behalf_of"]
        )
    except TicketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request accepted: it is in the queue now."))
    return redirect("desk:ticket-detail", ticket.number)


@staff_required
@require_POST
def ticket_decline(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    try:
        services.decline_held_ticket(ticket=ticket, actor=agent)
    except TicketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request declined."))
    return redirect("desk:ticket-detail", ticket.number)


@staff_required
@require_POST
def ticket_time(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            log_time(ticket=ticket, agent=agent, **form.cleaned_data)
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Time logged."))
            return redirect("desk:ticket-detail", ticket.number)
    context = _ticket_context(request, ticket, time_form=form)
    return render(request, "desk/ticket_detail.html", context, status=400)


@staff_required
@require_POST
def ticket_quote(request: HttpRequest, number: str) -> HttpResponse:
    agent = _agent(request)
    ticket = get_ticket_for_agent(agent, number)
    form = QuoteForm(request.POST)
    if form.is_valid():
        try:
            quote = create_quote(ticket=ticket, actor=agent, **form.cleaned_data)
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Quote %(reference)s sent to the main users for approval.")
                % {"reference": quote.reference},
            )
            return redirect("desk:ticket-detail", ticket.number)
    context = _ticket_context(request, ticket, quote_form=form)
    return render(request, "desk/ticket_detail.html", context, status=400)
