"""Subjects that fit their database fields without losing the sign that they were cut."""

from __future__ import annotations

from django.db.models import CharField, Model

ELLIPSIS = "…"


def subject_limit(model: type[Model]) -> int:
    """The length of `model`'s subject field: the one place its limit is written."""
    field = model._meta.get_field("subject")
    assert isinstance(field, CharField), field
    return int(field.max_length or 0)


def shorten_subject(subject: str, limit: int) -> str:
    """`subject` on one line, at most `limit` characters: a longer one is cut at a word
    boundary (unless that would lose more than half of it) and ends in "…"."""
    text = " ".join(subject.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space >= limit // 2 else cut[:-1]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS
