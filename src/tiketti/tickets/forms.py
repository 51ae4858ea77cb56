"""Form pieces shared by every page that accepts a message: multi-file upload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from .attachments import IncomingFile, check_file_count, check_file_size
from .errors import AttachmentRefused
from .fields import FieldsInvalid
from .models import CategoryField


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
    """The rules of `attachments.check_files`, applied before the files are read."""
    check_file_count(len(uploads))
    for upload in uploads:
        check_file_size(upload.name or "", upload.size or 0)


def incoming_files(uploads: Sequence[UploadedFile[Any]]) -> list[IncomingFile]:
    check_uploads(uploads)
    return [
        IncomingFile(
            name=upload.name or "", content=upload.read(), declared_type=upload.content_type or ""
        )
        for upload in uploads
    ]


Kind = CategoryField.Kind

# A category's questions sit in a form beside its own fields under this prefix.
QUESTION_PREFIX = "q_"


def add_question_fields(
    form: forms.Form,
    fields: Sequence[CategoryField],
    *,
    initial: Mapping[str, object] | None = None,
    prefill: Mapping[str, str] | None = None,
    mark_required: bool = True,
) -> None:
    """Add a category's questions to `form` (after its own fields). They check nothing
    themselves: the intake service checks the answers, for every channel alike
    (`fields.clean_answers`); `mark_required` lets the browser point out a required one.
    `prefill`: values by `CategoryField.prefill` (the browser's operating system …)."""
    for spec in fields:
        form_field = _question_field(spec, required=mark_required and spec.is_required)
        value = (initial or {}).get(spec.name)
        if value is None and spec.prefill and prefill:
            value = prefill.get(spec.prefill)
        if value is not None:
            form_field.initial = value
        form.fields[QUESTION_PREFIX + spec.name] = form_field


def _question_field(spec: CategoryField, *, required: bool) -> forms.Field:
    attrs: dict[str, Any] = {"required": True} if required else {}
    if spec.kind == Kind.FILE:
        return MultipleFileField(
            label=spec.label, help_text=spec.help_text, widget=MultipleFileInput(attrs=attrs)
        )
    choices = [(choice.value, choice.label) for choice in spec.parsed_choices()]
    if spec.kind == Kind.MULTI_CHOICE:
        # Several may be ticked: `required` on each box would demand them all.
        return forms.Field(
            widget=forms.CheckboxSelectMultiple(choices=choices),
            label=spec.label,
            help_text=spec.help_text,
            required=False,
        )
    widgets: dict[str, forms.Widget] = {
        Kind.LONG_TEXT: forms.Textarea(attrs={"rows": 4, **attrs}),
        Kind.CHOICE: forms.Select(choices=[("", "–"), *choices], attrs=attrs),
        Kind.URL: forms.URLInput(attrs={"placeholder": "https://", **attrs}),
        Kind.NUMBER: forms.NumberInput(attrs={"step": "any", **attrs}),
        Kind.DATE: forms.DateInput(attrs={"type": "date", **attrs}),
    }
    widget = widgets.get(spec.kind, forms.TextInput(attrs=attrs))
    return forms.CharField(
        widget=widget, label=spec.label, help_text=spec.help_text, required=False
    )


def question_fields(form: forms.Form) -> list[forms.BoundField]:
    return [form[name] for name in form.fields if name.startswith(QUESTION_PREFIX)]


def question_answers(
    form: forms.Form,
) -> tuple[dict[str, object], dict[str, list[IncomingFile]]]:
    """The answers a valid form carries, as `IntakeRequest.fields` / `field_files` take
    them (files read into memory, as every upload is)."""
    raw: dict[str, object] = {}
    files: dict[str, list[IncomingFile]] = {}
    for name, value in form.cleaned_data.items():
        if not name.startswith(QUESTION_PREFIX):
            continue
        key = name.removeprefix(QUESTION_PREFIX)
        if isinstance(form.fields[name], MultipleFileField):
            if value:
                files[key] = incoming_files(value)
        else:
            raw[key] = value
    return raw, files


def show_problems(form: forms.Form, error: FieldsInvalid) -> None:
    """Each answer the intake service refused, next to its question."""
    for problem in error.problems:
        name = QUESTION_PREFIX + problem.field
        form.add_error(name if name in form.fields else None, problem.message)
