"""Requests too large to read: refused before their body is read, answered with 413.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (form fields, JSON) itself, but
streams multipart files of any size to disk; `RequestSizeLimit` refuses a multipart
request bigger than TIKETTI_MAX_REQUEST_BYTES the same way, with `RequestDataTooBig`.
The API, the pages' error handler and the message below turn it into a 413.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REQUEST_TOO_LARGE = "request_too_large"


class RequestSizeLimit(FileUploadHandler):
    """The first upload handler: looks at the declared size only, and passes every byte
    on to the next handler (memory or temporary file)."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 - Django's argument name
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length > settings.TIKETTI_MAX_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Request body of {content_length} bytes exceeds TIKETTI_MAX_REQUEST_BYTES."
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def request_too_large_message() -> str:
    """What someone whose request was too large is told, in the active language."""
    count = int(settings.TIKETTI_MAX_ATTACHMENTS)
    return ngettext(
        "What you sent is too large. Each file may be at most %(limit)d MB, and at most "
        "%(count)d file can be sent at once.",
        "What you sent is too large. Each file may be at most %(limit)d MB, and at most "
        "%(count)d files can be sent at once.",
        count,
    ) % {"limit": int(settings.TIKETTI_MAX_ATTACHMENT_BYTES) // (1024 * 1024), "count": count}


def api_request_too_large_message(*, was_multipart: bool) -> str:
    if was_multipart:
        return request_too_large_message()
    return "{} {}".format(
        request_too_large_message(),
        _("Send large files as multipart/form-data to /api/v1/tickets/{number}/attachments."),
    )
