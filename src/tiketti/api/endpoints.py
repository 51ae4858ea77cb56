"""HTTP API v1: adapters over the same services the pages use."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Query, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from tiketti.accounts.models import User
from tiketti.accounts.throttling import client_ip
from tiketti.contracts.api import router as billing_router
from tiketti.contracts.services import on_call_phone
from tiketti.knowledge.api import router as knowledge_router
from tiketti.status.api import router as incidents_router
from tiketti.tickets import merging, services
from tiketti.tickets.access import (
    get_message_for_user,
    get_ticket_for_user,
    visible_messages,
    visible_tickets,
)
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.errors import IntakeRefused, NotAllowed, TicketError
from tiketti.tickets.fields import FieldsInvalid
from tiketti.tickets.forms import incoming_files
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import LANGUAGES, Attachment, Category, Message, Ticket, in_language
from tiketti.tickets.uploads import REQUEST_TOO_LARGE, api_request_too_large_message
from tiketti.webhooks.api import router as webhooks_router

from .downloads import router as downloads_router
from .models import ApiToken
from .pagination import paginate
from .schemas import (
    AttachmentIn,
    AttachmentOut,
    CategoryOut,
    Error,
    MergeIn,
    MessageIn,
    MessageOut,
    PersonOut,
    SplitIn,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)
from .throttling import TooManyTokenAttempts, check_token_attempts, record_token_failure

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        address = client_ip(request)
        check_token_attempts(address)
        row = ApiToken.objects.find(token)
        if row is None:
            record_token_failure(address)
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class TikettiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation that takes a token may answer 401, 403 and 429: say so."""
        schema = super().get_openapi_schema(**kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                if not operation.get("security"):
                    continue
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    401, {"description": "No valid token (`unauthorized`).", "content": error}
                )
                responses.setdefault(
                    403,
                    {
                        "description": "Not allowed (`forbidden`), or a browser session of "
                        "someone who has not given their second factor yet "
                        "(`second_factor_required`).",
                        "content": error,
                    },
                )
                responses.setdefault(
                    429,
                    {
                        "description": "Too many bad tokens from this address "
                        "(`too_many_attempts`); try again after `Retry-After` seconds.",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": error,
                    },
                )
        return schema


api = TikettiAPI(
    title="Tiketti API",
    version="1",
    description="Tickets and messages. Authenticate with `Authorization: Bearer TOKEN`.",
    auth=BearerToken(),
    urls_namespace="api-v1",
)
api.add_router("/kb", knowledge_router)
api.add_router("/billing", billing_router)
api.add_router("/incidents", incidents_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/attachments", downloads_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(TicketError)
def on_ticket_error(request: HttpRequest, error: TicketError) -> HttpResponse:
    if isinstance(error, FieldsInvalid):
        detail = [
            {"field": problem.field, "code": problem.code, "message": problem.message}
            for problem in error.problems
        ]
        return _error(request, error.status, error.code, error.message, detail=detail)
    return _error(request, error.status, error.code, error.message)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFilesSent)
def on_too_large(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
    multipart = request.content_type == "multipart/form-data"
    message = api_request_too_large_message(was_multipart=multipart)
    return _error(request, 413, REQUEST_TOO_LARGE, message)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def on_unreadable(request: HttpRequest, error: Exception) -> HttpResponse:
    return _error(
        request,
        400,
        "bad_request",
        _("The request body could not be read: send valid JSON or multipart/form-data."),
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found, or you have no access to it."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthorized", _("Send a valid token: Authorization: Bearer TOKEN.")
    )


@api.exception_handler(TooManyTokenAttempts)
def on_too_many_token_attempts(request: HttpRequest, error: TooManyTokenAttempts) -> HttpResponse:
    response = _error(
        request,
        429,
        "too_many_attempts",
        _("Too many invalid tokens from your address. Try again in %(seconds)d seconds.")
        % {"seconds": error.retry_after_seconds},
        retry_after=error.retry_after_seconds,
    )
    response["Retry-After"] = str(error.retry_after_seconds)
    return response


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
    path = reverse("api-v1:attachment-download", args=[attachment.key, attachment.filename])
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
        # A file the type policy kept out of a mail has nothing to download.
        attachments=[_attachment_out(a) for a in message.attachments.all() if not a.is_blocked],
    )


def _detail(user: User, ticket: Ticket) -> dict[str, Any]:
    thread = visible_messages(user, ticket)
    return {
        **_ticket_out(ticket),
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "fields": ticket.field_answers or {},
        "close_reason": ticket.close_reason,
        "merged_into": ticket.merged_into.number if ticket.merged_into else None,
        "messages": [_message_out(m) for m in thread],
        "acute": ticket.is_acute,
        "on_call_phone": on_call_phone(ticket.organisation) if ticket.is_acute else "",
    }


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
    response={
        201: TicketDetailOut,
        400: Error,
        403: Error,
        409: Error,
        413: Error,
        415: Error,
        422: Error,
    },
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
            impact=payload.impact,
            urgency=payload.urgency,
            fields=payload.fields,
            cc_emails=payload.cc,
            files=_files(payload.attachments),
            acute=payload.acute,
        )
    )
    return Status(201, _detail(user, result.created_ticket))


def _labels(item: object, prefix: str) -> dict[str, str]:
    return {language: in_language(item, prefix, language) for language in LANGUAGES}


def _category_out(category: Category) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "names": _labels(category, "name"),
        "help": _labels(category, "help"),
        "out_of_scope": category.is_out_of_scope,
        "fields": [
            {
                "name": field.name,
                "type": field.kind,
                "required": field.is_required,
                "labels": _labels(field, "label"),
                "help": _labels(field, "help"),
                "choices": [
                    {"value": choice.value, "labels": choice.labels()}
                    for choice in field.parsed_choices()
                ],
            }
            for field in category.form_fields.all()
        ],
    }


@api.get("/categories", response={200: list[CategoryOut]})
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of request customers may file, each with its request-form questions
    (answered in `fields` of `POST /tickets`) in English, Finnish and Polish."""
    categories = Category.objects.filter(is_active=True).prefetch_related("form_fields")
    return [_category_out(category) for category in categories]


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
        415: Error,
        422: Error,
    },
)
def post_message(request: HttpRequest, number: str, payload: MessageIn) -> Status[MessageOut]:
    """Add a reply (or, for staff, an internal note) to a ticket."""
    user = _user(request)
    ticket = get_ticket_for_user(user, number)
    message = _post(
        user,
        ticket,
        body=payload.body,
        internal=payload.internal,
        status=payload.status,
        files=_files(payload.attachments),
    )
    return Status(201, _message_out(message))


def _other_ticket(user: User, number: str) -> Ticket:
    """The ticket a request body names; unknown is a fault of the body, not of the URL."""
    try:
        return get_ticket_for_user(user, number)
    except Http404:
        raise TicketError(
            _("There is no ticket %(number)s.") % {"number": number}, code="unknown_ticket"
        ) from None


MERGE_ERRORS = (
    "`forbidden` (not staff), `unknown_ticket` (no such `into`), `merge_into_itself`, "
    "`already_merged`, `merge_into_closed`, `merge_across_organisations`."
)


@api.post(
    "/tickets/{number}/merge",
    response={
        200: TicketDetailOut,
        400: Error,
        403: Error,
        404: Error,
        409: Error,
        413: Error,
        422: Error,
    },
    description="Staff: merge this ticket into `into` (or where `into` was merged). "
    "Returns the surviving ticket; this one is closed with `merged_into` set. Errors: "
    + MERGE_ERRORS,
)
def merge_ticket(request: HttpRequest, number: str, payload: MergeIn) -> dict[str, Any]:
    user = _user(request)
    ticket = get_ticket_for_user(user, number)
    if not user.is_agent:
        raise NotAllowed(_("Only staff can merge or split tickets."))
    survivor = merging.merge_tickets(
        ticket=ticket, into=_other_ticket(user, payload.into), actor=user
    )
    return _detail(user, Ticket.objects.get(pk=survivor.pk))


@api.post(
    "/tickets/{number}/split",
    response={201: TicketDetailOut, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error},
    description="Staff: move the chosen messages (with their attachments) to a new ticket "
    "of the same requester. Errors: `forbidden`, `split_no_messages`, `split_all_messages`, "
    "`split_unknown_message`, `already_merged`.",
)
def split_ticket(request: HttpRequest, number: str, payload: SplitIn) -> Status[dict[str, Any]]:
    user = _user(request)
    ticket = get_ticket_for_user(user, number)
    new = merging.split_ticket(
        ticket=ticket, message_ids=payload.messages, subject=payload.subject, actor=user
    )
    return Status(201, _detail(user, Ticket.objects.get(pk=new.pk)))


def _post(
    user: User,
    ticket: Ticket,
    *,
    body: str,
    internal: bool,
    status: str | None,
    files: list[IncomingFile],
) -> Message:
    if user.is_agent:
        return services.post_message(
            ticket=ticket,
            author=user,
            body_text=body,
            channel=Ticket.Channel.API,
            is_internal=internal,
            new_status=status,
            files=files,
        )
    if internal or status:
        raise TicketError(
            _("Only staff can write internal notes or set the status."), code="forbidden"
        )
    result = submit_request(
        IntakeRequest(
            channel=Ticket.Channel.API,
            requester=user,
            subject=ticket.subject,
            body_text=body,
            files=files,
            ticket=ticket,
        )
    )
    assert result.message is not None
    return result.message


@api.post(
    "/tickets/{number}/attachments",
    response={
        201: MessageOut,
        400: Error,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        413: Error,
        415: Error,
        422: Error,
    },
)
def upload_attachments(
    request: HttpRequest,
    number: str,
    files: File[list[UploadedFile]],
    message: Form[int | None] = None,
    body: Form[str] = "",
    internal: Form[bool] = False,
) -> Status[MessageOut]:
    """Attach files as `multipart/form-data`: one or more `files` fields, each at most the
    attachment limit (413 `attachment_too_large` above it) and of a type the file type
    policy accepts (415 `attachment_type_blocked` otherwise). With `message` (the id of one
    of your own messages on the ticket) the files are added to that message, for example
    to the first message of a ticket just filed; nobody is notified again. Without it they
    arrive as a new message with the optional `body` (for staff, `internal` makes it an
    internal note), notified as `POST /tickets/{number}/messages` is."""
    user = _user(request)
    ticket = get_ticket_for_user(user, number)
    incoming = incoming_files(files)
    if message is not None:
        target = get_message_for_user(user, ticket, message)
        services.attach_files(message=target, author=user, files=incoming)
        return Status(201, _message_out(get_message_for_user(user, ticket, message)))
    posted = _post(user, ticket, body=body, internal=internal, status=None, files=incoming)
    return Status(201, _message_out(posted))
