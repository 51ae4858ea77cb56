"""The public request form, the agency form, and the pages their mailed links open.
Rules are in `public_requests` and the intake service; these pages parse and show."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from tiketti.accounts.middleware import public_page
from tiketti.accounts.throttling import client_ip
from tiketti.tickets.errors import TicketError
from tiketti.tickets.fields import FieldsInvalid, clean_answers
from tiketti.tickets.forms import add_question_fields, question_answers, show_problems
from tiketti.tickets.intake import IntakeResult
from tiketti.tickets.models import Category, CategoryField

from . import public_requests
from .models import PendingRequest
from .public_forms import AgencyRequestForm, PublicRequestForm


class _HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def _not_stored[V: Callable[..., HttpResponse]](view: V) -> V:
    """Open to visitors, yet never kept by a cache: the pages carry a CSRF token or the
    text of someone's request."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    return cast(V, wrapper)


def _chosen_category(request: HttpRequest) -> Category | None:
    value = request.POST.get("category") or request.GET.get("category") or ""
    if not value.isdigit():
        return None
    return Category.objects.filter(pk=int(value), is_active=True).first()


def _questions(category: Category | None) -> list[CategoryField]:
    """The category's questions, without file questions: files only when signed in."""
    if category is None:
        return []
    return [f for f in category.form_fields.all() if f.kind != CategoryField.Kind.FILE]


def _build(request: _HtmxRequest, form_class: type[PublicRequestForm]) -> PublicRequestForm:
    posted = request.method == "POST" and "show_questions" not in request.POST
    form = form_class(request.POST) if posted else form_class(initial=request.POST.dict() or None)
    add_question_fields(form, _questions(_chosen_category(request)))
    return form


def _answers(form: PublicRequestForm) -> dict[str, object] | None:
    """The answers as intake stores them, or None with the problems shown on the form:
    checked now, so the visitor can fix them before the request waits for its link."""
    answers, _files = question_answers(form)
    category = form.cleaned_data["category"]
    try:
        return dict(clean_answers(_questions(category), answers, require=True))
    except FieldsInvalid as error:
        show_problems(form, error)
        return None


def _public_form(
    form: PublicRequestForm, request: HttpRequest, answers: dict[str, object]
) -> public_requests.PublicForm:
    data = form.cleaned_data
    return public_requests.PublicForm(
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        subject=data["subject"],
        description=data["description"],
        category=data["category"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        client_ip=client_ip(request),
        fields=answers,
        impact=data["impact"],
        urgency=data["urgency"],
    )


def _throttled(form: PublicRequestForm) -> None:
    form.add_error(
        None,
        _(
            "Too many requests from here in the last hour. Try again later, or write to "
            "us by e-mail."
        ),
    )


def _render_form(
    request: _HtmxRequest, template: str, form: PublicRequestForm, status: int = 200
) -> HttpResponse:
    context = {"form": form, "category": _chosen_category(request)}
    if request.htmx and request.method == "GET":
        return render(request, f"{template}#category-questions", context)
    return render(request, template, context, status=status)


@public_page
@_not_stored
def public_request(request: _HtmxRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_agent:
        return redirect("portal:ticket-new")  # signed in: the full form, with attachments
    form = _build(request, PublicRequestForm)
    if request.method == "POST" and "show_questions" not in request.POST and form.is_valid():
        if form.is_bot:
            return render(request, "portal/public/sent.html")
        answers = _answers(form)
        if answers is not None:
            try:
                public_requests.record_public_request(_public_form(form, request, answers))
            except public_requests.Throttled:
                _throttled(form)
                return _render_form(request, "portal/public/request.html", form, status=429)
            return render(request, "portal/public/sent.html")
    return _render_form(request, "portal/public/request.html", form)


@public_page
@_not_stored
def public_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail scanner opening the link files nothing); POST files."""
    try:
        pending, _user = public_requests.read_token(token, "file")
    except public_requests.BadLink:
        return render(request, "portal/public/bad_link.html", status=404)
    if request.method != "POST":
        return render(request, "portal/public/confirm.html", {"pending": pending})
    try:
        if pending.kind == pending.Kind.AGENCY:
            result = public_requests.confirm_agency_address(pending)
            return _agency_result(request, pending, result)
        result = public_requests.confirm_public_request(pending)
    except public_requests.BadLink:
        return render(request, "portal/public/bad_link.html", status=404)
    return render(
        request,
        "portal/public/result.html",
        {
            "pending": pending,
            "ticket": result.ticket if result else None,
            "held": bool(result and result.reason == "not_main_user"),
            "not_a_customer": pending.reason in public_requests.NOT_A_CUSTOMER,
            "sales_email": settings.TIKETTI_SALES_EMAIL,
        },
    )


def _agency_result(
    request: HttpRequest, pending: PendingRequest, result: IntakeResult | None
) -> HttpResponse:
    return render(
        request,
        "portal/public/agency_sent.html",
        {
            "ticket": result.ticket if result else None,
            "held": pending.status == pending.Status.WAITING,
        },
    )


@public_page
@_not_stored
def agency_request(request: _HtmxRequest) -> HttpResponse:
    form = _build(request, AgencyRequestForm)
    template = "portal/public/agency_request.html"
    if request.method == "POST" and "show_questions" not in request.POST and form.is_valid():
        if form.is_bot:
            return render(request, "portal/public/sent.html")
        customer = public_requests.find_customer(form.cleaned_data["customer"])
        answers = _answers(form)
        if customer is None:
            form.add_error(
                "customer",
                _("No customer organisation has this name. Check the name with your customer."),
            )
        elif answers is not None:
            try:
                pending = public_requests.record_agency_request(
                    _public_form(form, request, answers), customer
                )
            except public_requests.Throttled:
                _throttled(form)
                return _render_form(request, template, form, status=429)
            if pending.status != pending.Status.WAITING:  # the customer declined the agency
                return _agency_result(request, pending, None)
            return render(request, "portal/public/sent.html")
    return _render_form(request, template, form)


@public_page
@_not_stored
def agency_decide(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to each main user: GET shows the request, POST decides."""
    try:
        pending, user = public_requests.read_token(token, "agency")
    except public_requests.BadLink:
        return render(request, "portal/public/bad_link.html", status=404)
    assert pending.customer is not None
    if user is None or not public_requests.may_decide_for(user, pending.customer):
        return render(request, "portal/public/bad_link.html", status=404)
    if request.method != "POST":
        return render(request, "portal/public/agency_decide.html", {"pending": pending})
    confirm = request.POST.get("decision") == "confirm"
    try:
        result = public_requests.decide_agency(pending, actor=user, confirm=confirm)
    except public_requests.BadLink:
        return render(request, "portal/public/bad_link.html", status=404)
    except TicketError as error:
        return render(
            request,
            "portal/public/agency_decide.html",
            {"pending": pending, "error": error.message},
        )
    return render(
        request,
        "portal/public/agency_decided.html",
        {"pending": pending, "confirmed": confirm, "ticket": result.ticket if result else None},
    )
