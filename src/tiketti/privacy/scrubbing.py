"""Pieces shared by erasure and retention: placeholders, removing named strings from text,
and deleting stored files only once the database change has committed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _


def erased_placeholder(language: str) -> str:
    with translation.override(language or None):
        return _("[removed at the person's request]")


def purged_placeholder(language: str) -> str:
    with translation.override(language or None):
        return _("[removed after the retention period]")


def name_placeholder(language: str) -> str:
    with translation.override(language or None):
        return _("[removed]")


class Scrubber:
    """Replaces each of `secrets` (a name, an address, a phone number) wherever it occurs,
    in any letter case."""

    def __init__(self, secrets: Iterable[str], replacement: str) -> None:
        # Longest first: "Maija Virtanen <maija@x>" goes before its parts.
        words = sorted({s.strip() for s in secrets if len(s.strip()) >= 3}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None
        self.replacement = replacement

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(self.replacement, text)


def delete_files_after_commit(storage: Storage, names: list[str]) -> None:
    """Remove attachment files from storage once the rows naming them are gone for good
    (a rolled-back transaction keeps both)."""

    def remove() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)
