"""Form pieces shared by every page that accepts a message: multi-file upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .attachments import IncomingFile


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each over the size limit is refused with its name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Attachments"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > settings.TIKETTI_MAX_ATTACHMENTS:
            raise forms.ValidationError(
                ngettext(
                    "At most %(count)d file can be attached at once.",
                    "At most %(count)d files can be attached at once.",
                    settings.TIKETTI_MAX_ATTACHMENTS,
                )
                % {"count": settings.TIKETTI_MAX_ATTACHMENTS}
            )
        limit = int(settings.TIKETTI_MAX_ATTACHMENT_BYTES)
        for upload in uploads:
            if upload.size is not None and upload.size > limit:
                raise forms.ValidationError(
                    _("“%(name)s” is too large: the limit is %(limit)d MB per file.")
                    % {"name": upload.name, "limit": limit // (1024 * 1024)}
                )
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def incoming_files(uploads: list[UploadedFile[Any]]) -> list[IncomingFile]:
    return [
        IncomingFile(
            name=upload.name or "", content=upload.read(), declared_type=upload.content_type or ""
        )
        for upload in uploads
    ]
