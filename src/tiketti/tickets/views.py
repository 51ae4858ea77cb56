from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from .access import get_attachment_for_user
from .attachments import download_response
from .uploads import request_too_large_message


@login_required
def download_attachment(request: HttpRequest, key: UUID, filename: str) -> FileResponse:
    """Serve a file to someone allowed to see its ticket, always as a download."""
    attachment = get_attachment_for_user(request.user, key)  # type: ignore[arg-type]
    return download_response(attachment.file, attachment.filename, attachment.content_type)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 400 handler: a request too large to read gets a 413 page that says
    the limit, anything else Django's own 400 page. (The API answers JSON itself: its
    views read their bodies, and `api.endpoints.on_too_large` answers.)"""
    if not isinstance(exception, RequestDataTooBig | TooManyFilesSent):
        return defaults.bad_request(request, exception)
    context = {"explanation": request_too_large_message()}
    return render(request, "413.html", context, status=413)
