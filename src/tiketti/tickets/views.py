from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from .access import get_attachment_for_user
from .attachments import download_response


@login_required
def download_attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    """Serve a file to someone allowed to see its ticket, always as a download."""
    attachment = get_attachment_for_user(request.user, attachment_id)  # type: ignore[arg-type]
    return download_response(attachment.file, attachment.filename, attachment.content_type)
