from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from .access import get_attachment_for_user
from .attachments import download_response
from .uploads import (
    REQUEST_TOO_LARGE,
    api_request_too_large_message,
    request_too_large_message,
)


@login_required
def download_attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    """Serve a file to someone allowed to see its ticket, always as a download."""
    attachment = get_attachment_for_user(request.user, attachment_id)  # type: ignore[arg-type]
    return download_response(attachment.file, attachment.filename, attachment.content_type)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 400 handler: a request too large to read gets a 413 that says the
    limit (JSON under /api/), anything else Django's own 400 page."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    if request.path.startswith("/api/"):
        body = {"code": REQUEST_TOO_LARGE, "message": api_request_too_large_message()}
        return JsonResponse(body, status=413)
    context = {"explanation": request_too_large_message()}
    return render(request, "413.html", context, status=413)
