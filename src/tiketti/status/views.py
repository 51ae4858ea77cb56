"""The public status page, the contact's notice preference, and the desk's link action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from tiketti.accounts.middleware import public_page
from tiketti.accounts.models import User
from tiketti.tickets.access import get_ticket_for_agent
from tiketti.tickets.errors import TicketError

from . import services
from .models import Incident, IncidentUpdate

RECENT = timedelta(days=30)

View = Callable[..., HttpResponse]


def _staff_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_agent:  # type: ignore[union-attr]
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


@public_page
@require_GET
@cache_control(public=True, max_age=30)
def status_page(request: HttpRequest) -> HttpResponse:
    """Open incidents and those resolved in the last 30 days. Public: it reads no session,
    sets no cookie, and its template has no form (nothing that would need a CSRF token)."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    since = timezone.now() - RECENT
    shown = (
        Incident.objects.exclude(state=Incident.State.RESOLVED, resolved_at__lt=since)
        .prefetch_related(
            Prefetch("updates", queryset=IncidentUpdate.objects.order_by("-created_at", "-pk")),
            "products",
        )
        .order_by("-started_at", "-pk")
    )
    with translation.override(language):
        incidents = list(shown)
        context = {
            "open_incidents": [incident for incident in incidents if incident.is_open],
            "resolved_incidents": [incident for incident in incidents if not incident.is_open],
            "LANGUAGE_CODE": language,
            "languages": settings.LANGUAGES,
            "product_name": settings.TIKETTI_SITE_NAME,
        }
        response = render(request, "status/page.html", context)
    response.headers["Content-Language"] = language
    return response


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """A contact's choice: e-mails about incidents affecting their organisation, or not."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        wanted = request.POST.get("receives_incident_notices") == "on"
        User.objects.filter(pk=user.pk).update(receives_incident_notices=wanted)
        messages.success(
            request,
            _("You will receive e-mails about incidents.")
            if wanted
            else _("You will no longer receive e-mails about incidents."),
        )
        return redirect("status:notices")
    return render(request, "status/notices.html", {"receives": user.receives_incident_notices})


def _incident_from(request: HttpRequest) -> Incident:
    try:
        incident_id = int(request.POST.get("incident", ""))
    except ValueError:
        raise Http404("No such incident.") from None
    return get_object_or_404(Incident, pk=incident_id)


@_staff_only
@require_POST
def link_ticket(request: HttpRequest, number: str) -> HttpResponse:
    agent = request.user
    assert isinstance(agent, User)
    ticket = get_ticket_for_agent(agent, number)
    incident = _incident_from(request)
    try:
        services.link_ticket(incident=incident, ticket=ticket, actor=agent)
    except TicketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Linked to the incident."))
    return redirect("desk:ticket-detail", ticket.number)


@_staff_only
@require_POST
def unlink_ticket(request: HttpRequest, number: str) -> HttpResponse:
    agent = request.user
    assert isinstance(agent, User)
    ticket = get_ticket_for_agent(agent, number)
    services.unlink_ticket(incident=_incident_from(request), ticket=ticket, actor=agent)
    messages.success(request, _("No longer linked to the incident."))
    return redirect("desk:ticket-detail", ticket.number)
