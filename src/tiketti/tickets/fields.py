"""Answers to a category's request form: checked here, for every channel alike.

A channel hands in what it received (strings from a web form, JSON values from the API)
keyed by field name, and the files sent for file fields. `clean_answers` returns the
answers as stored on the ticket (`Ticket.field_answers`): text as text, numbers as JSON
numbers, dates as ISO strings, choices as their codes, files as their names (the files
themselves are attached to the first message, as every attachment is). Every problem is
reported at once, each naming its field, in `FieldsInvalid` (HTTP 422 in the API).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .attachments import IncomingFile
from .errors import TicketError
from .models import CategoryField

Kind = CategoryField.Kind
TEXT_LIMITS = {Kind.TEXT: 1000, Kind.LONG_TEXT: 20000, Kind.URL: 2000}
Answer = str | int | float | list[str]


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str  # required, invalid, unknown_field
    message: str


class FieldsInvalid(TicketError):
    code = "invalid_fields"
    status = 422

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        names = ", ".join(problem.field for problem in problems)
        super().__init__(_("Check the answers to these questions: %(fields)s.") % {"fields": names})
        self.problems = list(problems)


def clean_answers(
    fields: Sequence[CategoryField],
    raw: Mapping[str, object],
    files: Mapping[str, Sequence[IncomingFile]] | None = None,
    *,
    attached: Sequence[str] = (),
    require: bool = True,
    require_files: bool = True,
) -> dict[str, Answer]:
    """The answers as stored; raises FieldsInvalid naming each wrong or missing one.
    A file field's answer is the files sent for it (`files`), or names some of the files
    sent with the request (`attached`: the API's way). `require=False` (staff completing
    a ticket later) lets required answers stay empty; `require_files=False` (a phone
    call, which cannot carry a file) lets required file answers stay empty."""
    files = files or {}
    known = {field.name for field in fields}
    problems = [
        FieldProblem(
            name,
            "unknown_field",
            _("“%(name)s” is not a question of this category.") % {"name": name},
        )
        for name in [*raw, *files]
        if name not in known
    ]
    answers: dict[str, Answer] = {}
    for field in fields:
        try:
            value = _clean(field, raw.get(field.name), files.get(field.name, ()), attached)
        except ValidationError as error:
            problems.append(FieldProblem(field.name, "invalid", " ".join(error.messages)))
            continue
        if value in ("", []):
            if require and field.is_required and (require_files or field.kind != Kind.FILE):
                problems.append(
                    FieldProblem(
                        field.name,
                        "required",
                        _("“%(label)s” needs an answer.") % {"label": field.label},
                    )
                )
            continue
        answers[field.name] = value
    if problems:
        raise FieldsInvalid(problems)
    return answers


def _clean(
    field: CategoryField, value: object, files: Sequence[IncomingFile], attached: Sequence[str]
) -> Answer:
    if field.kind == Kind.FILE:
        return [incoming.name for incoming in files] or _attached(value, attached)
    if field.kind == Kind.MULTI_CHOICE:
        return _choices(field, value)
    if value is None:
        return ""
    if field.kind == Kind.NUMBER:
        return _number(value)
    if not isinstance(value, str):
        raise ValidationError(_("Give the answer as text."))
    text = value.strip()
    if not text:
        return ""
    limit = TEXT_LIMITS.get(Kind(field.kind))
    if limit is not None and len(text) > limit:
        raise ValidationError(_("At most %(limit)d characters, please.") % {"limit": limit})
    if field.kind == Kind.CHOICE:
        return _choices(field, text)[0]
    if field.kind == Kind.URL:
        URLValidator(schemes=["http", "https"], message=_("Give a web address (https://…)."))(text)
    if field.kind == Kind.DATE:
        return _date(text)
    return text


def _choices(field: CategoryField, value: object) -> list[str]:
    chosen = _text_list(value)
    allowed = [choice.value for choice in field.parsed_choices()]
    wrong = [item for item in chosen if item not in allowed]
    if wrong:
        raise ValidationError(
            _("“%(value)s” is not one of the choices: %(choices)s.")
            % {"value": wrong[0], "choices": ", ".join(allowed)}
        )
    return list(dict.fromkeys(chosen))  # each once, in the order given


def _attached(value: object, attached: Sequence[str]) -> list[str]:
    names = _text_list(value)
    missing = [name for name in names if name not in attached]
    if missing:
        raise ValidationError(
            _("“%(name)s” is not one of the attached files.") % {"name": missing[0]}
        )
    return names


def _text_list(value: object) -> list[str]:
    values = [] if value is None else [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
        raise ValidationError(_("Give the answer as a list of text."))
    return [item.strip() for item in values if item.strip()]


def _number(value: object) -> int | float | str:
    if isinstance(value, bool):
        raise ValidationError(_("Give a number."))
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        raise ValidationError(_("Give a number."))
    text = value.strip().replace(",", ".").replace(" ", "")
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Give a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Give a number."))
    return int(number) if number == number.to_integral_value() else float(number)


def _date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None


@dataclass(frozen=True)
class AnswerRow:
    """One answer as a table shows it: the question and the answer in the reader's words."""

    name: str
    label: str
    value: str


def answer_rows(fields: Sequence[CategoryField], answers: Mapping[str, object]) -> list[AnswerRow]:
    """The answers in form order, choices by their labels; answers to questions that were
    removed from the form since are shown under their code."""
    rows = []
    for field in fields:
        if field.name in answers:
            rows.append(AnswerRow(field.name, field.label, display(field, answers[field.name])))
    known = {field.name for field in fields}
    rows += [
        AnswerRow(name, name, _plain(value)) for name, value in answers.items() if name not in known
    ]
    return rows


def display(field: CategoryField, value: object) -> str:
    if field.has_choices:
        labels = {choice.value: choice.label for choice in field.parsed_choices()}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in values)
    return _plain(value)


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
