"""Form pieces shared by every page that accepts a message: multi-file upload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from .attachments import IncomingFile, check_file_count, check_file_size, check_file_type
from .errors import AttachmentRefused


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
        try:
            check_uploads(uploads)
        except AttachmentRefused as error:
            raise forms.ValidationError(error.message) from None
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def check_uploads(uploads: Sequence[UploadedFile[Any]]) -> None:
    """The rules of `attachments.check_files`, applied before the files are read whole
    (the type from each file's first bytes)."""
    check_file_count(len(uploads))
    for upload in uploads:
        check_file_size(upload.name or "", upload.size or 0)
        check_file_type(upload.name or "", _head(upload))


def _head(upload: UploadedFile[Any]) -> bytes:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return bytes(head)


def incoming_files(uploads: Sequence[UploadedFile[Any]]) -> list[IncomingFile]:
    check_uploads(uploads)
    return [
        IncomingFile(
            name=upload.name or "", content=upload.read(), declared_type=upload.content_type or ""
        )
        for upload in uploads
    ]
