"""Cursor pagination for API lists: `?limit=N&cursor=…`, and a `next` link to follow.

The cursor is the sort key of the last item shown, so a page never repeats or skips an
item when rows are added meanwhile (offsets do). It is opaque to clients: base64 of JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tiketti.tickets.errors import TicketError

MAX_LIMIT = 200


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==="))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise TicketError(
            _("The cursor is not valid. Use the “next” link of the previous page."),
            code="invalid_cursor",
        )
    return values


def _encode(values: Sequence[Any]) -> str:
    text = json.dumps([str(value) if not isinstance(value, int) else value for value in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _after(model: type[Model], ordering: Sequence[str], values: list[Any]) -> Q:
    """Rows that sort after `values` in `ordering` (a "-" means descending)."""
    condition = Q()
    for index in range(len(ordering) - 1, -1, -1):
        name = ordering[index].lstrip("-")
        field = model._meta.get_field("id" if name == "pk" else name)
        try:
            value = field.to_python(values[index])  # type: ignore[union-attr]
        except Exception:  # a malformed cursor value: the field says why
            raise TicketError(
                _("The cursor is not valid. Use the “next” link of the previous page."),
                code="invalid_cursor",
            ) from None
        lookup = "lt" if ordering[index].startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": value})
        condition = step if index == len(ordering) - 1 else step | (Q(**{name: value}) & condition)
    return condition


def paginate[M: Model](
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    ordering: Sequence[str],
    limit: int,
    cursor: str | None,
    offset: int = 0,
) -> tuple[list[M], str | None]:
    """One page of `queryset` in `ordering` (ending in a unique key) and the absolute
    URL of the next page, or None on the last. `offset` (older clients) skips rows
    before the first page; the `next` link never carries it."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = queryset.order_by(*ordering)
    if cursor:
        rows = rows.filter(_after(queryset.model, ordering, _decode(cursor, len(ordering))))
    start = 0 if cursor else max(offset, 0)
    items = list(rows[start : start + limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    values = [getattr(last, name.lstrip("-")) for name in ordering]
    query = request.GET.copy()
    query["cursor"] = _encode(values)
    query["limit"] = str(limit)
    query.pop("offset", None)
    return items, request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
