"""The desk's "new ticket / log a call" page: one form, channel "phone"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tiketti.tickets.calls import Call, Caller, find_caller, log_call
from tiketti.tickets.errors import TicketError
from tiketti.tickets.fields import FieldsInvalid
from tiketti.tickets.forms import (
    QUESTION_PREFIX,
    add_question_fields,
    question_answers,
    question_fields,
    show_problems,
)
from tiketti.tickets.intake import Outcome
from tiketti.tickets.models import Category, Ticket

from .views import HtmxHttpRequest, _agent, staff_required


class CallForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Caller's phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    requester_email = forms.EmailField(
        label=gettext_lazy("Caller's e-mail address"),
        required=False,
        help_text=gettext_lazy("Needed when no contact, or several, have the number."),
    )
    ticket = forms.CharField(required=False, widget=forms.HiddenInput)
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=250)
    notes = forms.CharField(
        label=gettext_lazy("What the caller said"), widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("no category"),
    )
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"),
        choices=Ticket.Priority.choices,
        initial=Ticket.Priority.NORMAL,
    )
    is_acute = forms.BooleanField(
        label=gettext_lazy("Acute: the system is down or cannot be used"),
        required=False,
        help_text=gettext_lazy("Files the ticket as urgent."),
    )

    def call(self) -> Call:
        data = self.cleaned_data
        category = data["category"]
        return Call(
            notes=data["notes"],
            phone=data["phone"],
            requester_email=data["requester_email"],
            subject=data["subject"],
            category_slug=category.slug if category else "",
            priority=data["priority"],
            is_acute=data["is_acute"],
            ticket_number=data["ticket"],
            answers=question_answers(self)[0],
        )

    def add_questions(self, slug: str) -> Category | None:
        """The chosen category's questions (files excepted: a call carries none)."""
        category = Category.objects.filter(slug=slug, is_active=True).first() if slug else None
        if category is not None:
            questions = [f for f in category.form_fields.all() if f.kind != f.Kind.FILE]
            add_question_fields(self, questions)
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("desk:new-ticket"),
                "hx-target": "#call-questions",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        return category

    def own_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith(QUESTION_PREFIX)]

    def question_fields(self) -> list[forms.BoundField]:
        return question_fields(self)


def _context(form: CallForm, caller: Caller | None, **extra: Any) -> dict[str, Any]:
    return {"form": form, "caller": caller, "chosen": form["ticket"].value() or "", **extra}


@staff_required
@require_http_methods(["GET", "POST"])
def new_ticket(request: HtmxHttpRequest) -> HttpResponse:
    """File a phone call (or any request taken for a customer) through intake."""
    showing = "show_questions" in request.POST
    if request.method == "POST" and not showing:
        form = CallForm(request.POST)
    else:
        initial = request.POST.dict() if showing else {"phone": request.GET.get("phone", "")}
        form = CallForm(initial=initial)
    slug = request.POST.get("category") or request.GET.get("category") or ""
    category = form.add_questions(slug)
    if request.htmx and request.method == "GET" and "category" in request.GET:
        return render(request, "desk/new_ticket.html#call-questions", _context(form, None))
    caller = find_caller(str(form["phone"].value() or ""))
    if request.method == "POST" and not showing and form.is_valid():
        try:
            result = log_call(agent=_agent(request), call=form.call())
        except FieldsInvalid as error:
            show_problems(form, error)
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            ticket = result.created_ticket
            if result.outcome == Outcome.APPENDED:
                done = _("The call was added to %(number)s.")
            else:
                done = _("Ticket %(number)s filed; the caller gets the acknowledgement by e-mail.")
            messages.success(request, done % {"number": ticket.number})
            return redirect("desk:ticket-detail", ticket.number)
    status = 400 if form.is_bound else 200
    context = _context(form, caller, category=category)
    return render(request, "desk/new_ticket.html", context, status=status)


@staff_required
@require_GET
def caller_lookup(request: HttpRequest) -> HttpResponse:
    """The contact a number belongs to and their open tickets (htmx, as the agent types)."""
    form = CallForm(initial={"phone": request.GET.get("phone", "")})
    caller = find_caller(request.GET.get("phone", ""))
    return render(request, "desk/new_ticket.html#caller", _context(form, caller))
