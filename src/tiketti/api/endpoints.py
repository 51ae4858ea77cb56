"""HTTP API v1: adapters over the same services the pages use."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from tiketti.accounts.models import User
from tiketti.contracts.api import router as billing_router
from tiketti.knowledge.api import router as knowledge_router
from tiketti.tickets import services
from tiketti.tickets.access import get_ticket_for_user, visible_messages, visible_tickets
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.errors import IntakeRefused, TicketError
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment, Message, Ticket
from tiketti.webhooks.api import router as webhooks_router

from .downloads import router as downloads_router
from .models import ApiToken
from .pagination import paginate
from .schemas import (
    AttachmentIn,
    AttachmentOut,
    Error,
    MessageIn,
    MessageOut,
    PersonOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = ApiToken.objects.find(token)
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="Tiketti API",
    version="1",
    description="Tickets and messages. Authenticate with `Authorization: Bearer TOKEN`.",
    auth=BearerToken(),
    urls_namespace="api-v1",
)
api.add_router("/kb", knowledge_router)
api.add_router("/billing", billing_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/attachments", downloads_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(TicketError)
def on_ticket_error(request: HttpRequest, error: TicketError) -> HttpResponse:
    return _error(request, error.status, error.code, error.message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found, or you have no access to it."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthorized", _("Send a valid token: Authorization: Bearer TOKEN.")
    )


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    detail = [
        {"loc": [str(part) for part in item.get("loc", [])], "msg": str(item.get("msg", ""))}
        for item in error.errors
    ]
    return _error(
        request, 422, "validation_error", _("The request data is not valid."), detail=detail
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    return _error(request, error.status_code, code.get(error.status_code, "error"), str(error))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API request failed: %s %s", request.method, request.path)
    return _error(request, 500, "server_error", _("Something went wrong on our side."))


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _person(user: User) -> PersonOut:
    return PersonOut(email=user.email, name=user.get_full_name())


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "category": ticket.category.slug if ticket.category else None,
        "requester": _person(ticket.requester),
        "organisation": ticket.organisation.name if ticket.organisation else None,
        "assignee": _person(ticket.assignee) if ticket.assignee else None,
        "team": ticket.team.name if ticket.team else None,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "url": settings.TIKETTI_BASE_URL + reverse("portal:ticket-detail", args=[ticket.number]),
    }


def _attachment_out(attachment: Attachment) -> AttachmentOut:
    # The API's own download (bearer token), not the pages' (a login session).
    path = reverse("api-v1:attachment-download", args=[attachment.pk, attachment.filename])
    return AttachmentOut(
        id=attachment.pk,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        url=settings.TIKETTI_BASE_URL + path,
    )


def _message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.pk,
        author=_person(message.author),
        internal=message.is_internal,
        body=message.body_text,
        channel=message.channel,
        created_at=message.created_at,
        attachments=[_attachment_out(a) for a in message.attachments.all()],
    )


def _detail(user: User, ticket: Ticket) -> dict[str, Any]:
    thread = visible_messages(user, ticket)
    return {**_ticket_out(ticket), "messages": [_message_out(m) for m in thread]}


def _files(attachments: list[AttachmentIn]) -> list[IncomingFile]:
    files = []
    for item in attachments:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise TicketError(
                _("Attachment “%(name)s” is not valid base64.") % {"name": item.filename},
                code="invalid_attachment",
            ) from None
        files.append(IncomingFile(name=item.filename, content=content))
    return files


@api.post(
    "/tickets",
    response={201: TicketDetailOut, 400: Error, 403: Error, 409: Error, 413: Error, 422: Error},
)
def create_ticket(request: HttpRequest, payload: TicketIn) -> Status[dict[str, Any]]:
    """File a request. A customer's token files for themselves; a staff token files for
    `requester_email` (the same rules as every other channel apply)."""
    user = _user(request)
    on_behalf = user.is_agent
    if payload.channel != "api" and not on_behalf:
        raise IntakeRefused(
            _("Only staff can file requests for another channel."), code="channel_not_allowed"
        )
    result = submit_request(
        IntakeRequest(
            channel=payload.channel,
            subject=payload.subject,
            body_text=payload.body,
            requester=None if on_behalf else user,
            requester_email=payload.requester_email if on_behalf else "",
            submitted_by=user if on_behalf else None,
            category_slug=payload.category,
            priority=payload.priority,
            cc_emails=payload.cc,
            files=_files(payload.attachments),
        )
    )
    return Status(201, _detail(user, result.created_ticket))


class TicketFilter(Schema):
    status: str | None = None
    limit: int = 50
    offset: int = Field(0, description="Deprecated: follow `next` instead.")
    cursor: str | None = Field(None, description="From the `next` link of the previous page.")


class TicketPage(Schema):
    count: int
    items: list[TicketOut]
    next: str | None = Field(None, description="URL of the next page, or null on the last.")


@api.get("/tickets", response={200: TicketPage, 400: Error, 422: Error})
def list_tickets(request: HttpRequest, filters: Query[TicketFilter]) -> dict[str, Any]:
    """Tickets the token's user may see, most recently updated first."""
    if filters.status and filters.status not in Ticket.Status.values:
        raise TicketError(
            _("“%(status)s” is not a ticket status. Use one of: %(choices)s.")
            % {"status": filters.status, "choices": ", ".join(Ticket.Status.values)},
            code="unknown_status",
        )
    tickets = visible_tickets(_user(request)).select_related(
        "requester", "organisation", "assignee", "team", "category"
    )
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    window, next_url = paginate(
        request,
        tickets,
        ordering=("-updated_at", "-pk"),
        limit=filters.limit,
        cursor=filters.cursor,
        offset=filters.offset,
    )
    return {
        "count": tickets.count(),
        "items": [_ticket_out(t) for t in window],
        "next": next_url,
    }


@api.get("/tickets/{number}", response={200: TicketDetailOut, 404: Error})
def get_ticket(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, get_ticket_for_user(user, number))


@api.post(
    "/tickets/{number}/messages",
    response={
        201: MessageOut,
        400: Error,
        403: Error,
        404: Error,
        409: Error,
        413: Error,
        422: Error,
    },
)
def post_message(request: HttpRequest, number: str, payload: MessageIn) -> Status[MessageOut]:
    """Add a reply (or, for staff, an internal note) to a ticket."""
    user = _user(request)
    ticket = get_ticket_for_user(user, number)
    if user.is_agent:
        message = services.post_message(
            ticket=ticket,
            author=user,
            body_text=payload.body,
            channel=Ticket.Channel.API,
            is_internal=payload.internal,
            new_status=payload.status,
            files=_files(payload.attachments),
        )
    else:
        if payload.internal or payload.status:
            raise TicketError(
                _("Only staff can write internal notes or set the status."), code="forbidden"
            )
        result = submit_request(
            IntakeRequest(
                channel=Ticket.Channel.API,
                requester=user,
                subject=ticket.subject,
                body_text=payload.body,
                files=_files(payload.attachments),
                ticket=ticket,
            )
        )
        assert result.message is not None
        message = result.message
    return Status(201, _message_out(message))
