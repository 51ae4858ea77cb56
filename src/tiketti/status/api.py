"""Incident endpoints of API v1, mounted under /api/v1/incidents.

Listing is public (a status widget or a customer's monitoring reads it without a token);
creating and updating needs a staff member's token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from tiketti.accounts.models import User
from tiketti.api.models import ApiToken

from . import services
from .models import Incident, IncidentUpdate

router = Router(tags=["incidents"])


class ErrorOut(Schema):
    code: str
    message: str
    detail: list[dict[str, object]] | None = None


class Texts(Schema):
    en: str = Field(min_length=1, max_length=5000)
    fi: str = Field("", max_length=5000)
    pl: str = Field("", max_length=5000)


class Titles(Schema):
    en: str = Field(min_length=1, max_length=200)
    fi: str = Field("", max_length=200)
    pl: str = Field("", max_length=200)


State = Literal["investigating", "identified", "monitoring", "resolved"]


class UpdateOut(Schema):
    id: int
    state: str
    text: dict[str, str]
    created_at: datetime


class IncidentOut(Schema):
    id: int
    title: dict[str, str]
    state: str
    started_at: datetime
    resolved_at: datetime | None
    organisations: list[str] = Field(
        description="Affected organisations, shown to staff tokens only (customers' names "
        "are not public); empty: everyone, or not shown."
    )
    products: list[str] = Field(description="Affected products (help-center section codes).")
    sla_exempt: bool
    updates: list[UpdateOut]


class IncidentPage(Schema):
    items: list[IncidentOut]
    next: str | None = Field(description="The next page's address; null on the last page.")


class IncidentFilter(Schema):
    state: Literal["open", "resolved", "all"] = "all"
    before: int | None = Field(None, ge=1, description="Cursor: incidents older than this id.")
    limit: int = Field(50, ge=1, le=100)


class IncidentIn(Schema):
    title: Titles
    text: Texts = Field(description="The first update customers see.")
    state: State = "investigating"
    organisations: list[int] = Field(default_factory=list, description="Ids; empty: everyone.")
    products: list[int] = Field(default_factory=list, description="Help-center section ids.")
    sla_exempt: bool = Field(False, description="Admins only: excuse breaches meanwhile.")
    started_at: datetime | None = None


class IncidentPatch(Schema):
    title: Titles | None = None
    organisations: list[int] | None = None
    products: list[int] | None = None
    sla_exempt: bool | None = Field(None, description="Admins only.")


class UpdateIn(Schema):
    state: State
    text: Texts


def _staff(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    services.check_staff(user)
    return user


def _texts(row: Incident | IncidentUpdate, field: str) -> dict[str, str]:
    return {language: getattr(row, f"{field}_{language}") for language in ("en", "fi", "pl")}


def _sees_customers(request: HttpRequest) -> bool:
    """On the public endpoints: does the request carry a staff member's token?"""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    row = ApiToken.objects.find(token.strip())
    return row is not None and row.user.is_agent


def _incident_out(incident: Incident, *, with_customers: bool = True) -> dict[str, Any]:
    organisations = incident.organisations.all() if with_customers else []
    return {
        "id": incident.pk,
        "title": _texts(incident, "title"),
        "state": incident.state,
        "started_at": incident.started_at,
        "resolved_at": incident.resolved_at,
        "organisations": [organisation.name for organisation in organisations],
        "products": [section.slug for section in incident.products.all()],
        "sla_exempt": incident.is_sla_exempt,
        "updates": [
            {
                "id": update.pk,
                "state": update.state,
                "text": _texts(update, "text"),
                "created_at": update.created_at,
            }
            for update in incident.updates.all()
        ],
    }


def _with_details(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return incidents.prefetch_related("organisations", "products", "updates")


def _get(incident_id: int) -> Incident:
    return get_object_or_404(_with_details(Incident.objects.all()), pk=incident_id)


@router.get("", auth=None, response={200: IncidentPage, 422: ErrorOut})
def list_incidents(request: HttpRequest, filters: Query[IncidentFilter]) -> dict[str, Any]:
    """Incidents, newest first (public)."""
    incidents = Incident.objects.order_by("-pk")
    if filters.state == "open":
        incidents = incidents.open()
    elif filters.state == "resolved":
        incidents = incidents.filter(state=Incident.State.RESOLVED)
    if filters.before is not None:
        incidents = incidents.filter(pk__lt=filters.before)
    rows = list(_with_details(incidents)[: filters.limit + 1])
    next_url = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        query = f"?state={filters.state}&limit={filters.limit}&before={rows[-1].pk}"
        next_url = settings.TIKETTI_BASE_URL + reverse("api-v1:list_incidents") + query
    staff = _sees_customers(request)
    items = [_incident_out(incident, with_customers=staff) for incident in rows]
    return {"items": items, "next": next_url}


@router.get("/{incident_id}", auth=None, response={200: IncidentOut, 404: ErrorOut})
def get_incident(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """One incident with all its updates (public)."""
    return _incident_out(_get(incident_id), with_customers=_sees_customers(request))


@router.post(
    "",
    response={
        201: IncidentOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
)
def create_incident(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    """Open an incident (staff). The affected main users are e-mailed."""
    incident = services.open_incident(
        author=_staff(request),
        titles=payload.title.model_dump(),
        texts=payload.text.model_dump(),
        state=payload.state,
        organisation_ids=payload.organisations,
        product_ids=payload.products,
        is_sla_exempt=payload.sla_exempt,
        started_at=payload.started_at,
    )
    return Status(201, _incident_out(_get(incident.pk)))


@router.patch(
    "/{incident_id}",
    response={
        200: IncidentOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
)
def change_incident(
    request: HttpRequest, incident_id: int, payload: IncidentPatch
) -> dict[str, Any]:
    """Correct the title, what is affected, or (admins) the SLA exemption (staff)."""
    actor = _staff(request)
    incident = services.change_incident(
        incident=_get(incident_id),
        actor=actor,
        titles=payload.title.model_dump() if payload.title else None,
        organisation_ids=payload.organisations,
        product_ids=payload.products,
        is_sla_exempt=payload.sla_exempt,
    )
    return _incident_out(_get(incident.pk))


@router.post(
    "/{incident_id}/updates",
    response={
        201: IncidentOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
)
def post_update(
    request: HttpRequest, incident_id: int, payload: UpdateIn
) -> Status[dict[str, Any]]:
    """Post an update (staff); state `resolved` ends the incident, tells the affected main
    users and answers the linked tickets."""
    author = _staff(request)
    incident = _get(incident_id)
    services.post_update(
        incident=incident, author=author, state=payload.state, texts=payload.text.model_dump()
    )
    return Status(201, _incident_out(_get(incident_id)))
