"""Rows that admins change a few times a day but every inbound message reads.

Mailboxes (routing), SLA policies and contracts are edited in the admin, yet intake needs
them for each message: reading them from the database every time costs more than the rest
of a message's work. A `ReferenceData` is loaded on first use and kept in this process for
`ttl` seconds. Saving or deleting one of the models it watches, in this process, forgets it
at once; other processes (the web admin, other workers) see the change within `ttl`.

Keep only what a short delay cannot turn into a wrong promise, and re-read on a miss
where a newly added row must be seen at once (see `mail.addressing._known_mailbox`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save

DEFAULT_TTL = 30.0
_everything: list[ReferenceData[Any]] = []


class ReferenceData[T]:
    def __init__(
        self, load: Callable[[], T], *, watch: Iterable[str], ttl: float = DEFAULT_TTL
    ) -> None:
        """`watch`: the models whose changes make the value stale, as "app_label.Model"."""
        self._load = load
        self._ttl = ttl
        self._value: tuple[float, T] | None = None
        for model in watch:
            uid = f"reference_data.{id(self)}.{model}"
            for signal in (post_save, post_delete):
                signal.connect(self.forget, sender=model, weak=False, dispatch_uid=uid)
        _everything.append(self)

    def get(self) -> T:
        now = time.monotonic()
        if self._value is None or now - self._value[0] > self._ttl:
            self._value = (now, self._load())
        return self._value[1]

    def forget(self, **kwargs: object) -> None:
        self._value = None


def forget_all() -> None:
    """Drop every kept value (tests roll back rows without a signal saying so)."""
    for data in _everything:
        data.forget()
