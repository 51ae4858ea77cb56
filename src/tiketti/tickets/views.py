from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from .access import get_attachment_for_user
from .attachments import ACTIVE_CONTENT_TYPES


@login_required
def download_attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    """Serve a file to someone allowed to see its ticket, always as a download."""
    attachment = get_attachment_for_user(request.user, attachment_id)  # type: ignore[arg-type]
    content_type = attachment.content_type
    if content_type in ACTIVE_CONTENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
