"""Attachment downloads for token clients: the URLs the API hands out in `attachments`."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
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
    "/{attachment_id}/{filename}",
    response={401: Error, 404: Error},
    openapi_extra={"responses": FILE_RESPONSE},
    url_name="attachment-download",
)
def download_attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    """An attachment of a ticket the token's user may see (never of an internal note to a
    customer)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    attachment = get_attachment_for_user(user, attachment_id)
    return download_response(attachment.file, attachment.filename, attachment.content_type)
