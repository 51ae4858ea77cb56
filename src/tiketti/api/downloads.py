"""Attachment downloads for token clients: the URLs the API hands out in `attachments`."""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from ninja import Router

from tiketti.accounts.models import User
from tiketti.tickets.access import get_attachment_for_user
from tiketti.tickets.attachments import download_response

from .schemas import Error

router = Router(tags=["attachments"])

FILE_RESPONSE = {
    200: {
        "description": "The file, as a download.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get(
    "/{key}/{filename}",
    response={401: Error, 404: Error},
    openapi_extra={"responses": FILE_RESPONSE},
    url_name="attachment-download",
)
def download_attachment(request: HttpRequest, key: str, filename: str) -> FileResponse:
    """An attachment of a ticket the token's user may see (never of an internal note to a
    customer). `key` is the attachment's public key, as in the `url` the API gives."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    try:
        public_key = UUID(key)
    except ValueError:  # an old id URL, or a guess: not there, like any other
        raise Http404("No such attachment.") from None
    attachment = get_attachment_for_user(user, public_key)
    return download_response(attachment.file, attachment.filename, attachment.content_type)
