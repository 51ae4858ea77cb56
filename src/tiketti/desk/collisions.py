"""Collision warnings: who else has a ticket open in the desk and who is writing on it, and
which customer messages arrived after an agent's page was drawn.

Presence lives in Django's cache, never in the database: the ticket page reports every
~12 s (an htmx poll) and when its agent types (throttled), and an entry older than
`PRESENCE_SECONDS` is gone. Nothing else writes it, so other pages cost nothing. The
default cache (local memory) serves one web process, as `make demo` runs; several web
processes need a shared cache (CACHES).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from tiketti.accounts.models import User
from tiketti.tickets.models import Message, Ticket

# An agent counts as viewing this long after the page last reported (two missed polls).
PRESENCE_SECONDS = 30
# ... and as writing this long after their last keystroke reached us.
WRITING_SECONDS = 20
# How often the ticket page reports; shown to the template for its htmx trigger.
POLL_SECONDS = 12


@dataclass(frozen=True)
class Presence:
    name: str
    writing: bool


# One cache entry per ticket: {agent id: (name, last report, last keystroke)}, times as
# time.time() seconds. Concurrent reports may drop one another's update; the next poll
# puts it back, which is all a presence note needs.
Entries = dict[int, tuple[str, float, float]]


def _key(ticket: Ticket) -> str:
    return f"tiketti:desk-presence:{ticket.pk}"


def _read(ticket: Ticket, now: float) -> Entries:
    entries: Entries = cache.get(_key(ticket)) or {}
    return {pk: entry for pk, entry in entries.items() if now - entry[1] < PRESENCE_SECONDS}


def _write(ticket: Ticket, entries: Entries) -> None:
    cache.set(_key(ticket), entries, PRESENCE_SECONDS * 2)


def report(ticket: Ticket, agent: User, *, writing: bool, now: float | None = None) -> None:
    """`agent` has the ticket open (and, if `writing`, just typed in its reply box)."""
    now = time.time() if now is None else now
    entries = _read(ticket, now)
    _name, _seen, wrote_at = entries.get(agent.pk, ("", 0.0, 0.0))
    entries[agent.pk] = (agent.get_full_name() or agent.email, now, now if writing else wrote_at)
    _write(ticket, entries)


def stopped_writing(ticket: Ticket, agent: User) -> None:
    """`agent` sent what they wrote: they are viewing, no longer writing."""
    entries = _read(ticket, time.time())
    if agent.pk in entries:
        name, seen, _wrote_at = entries[agent.pk]
        entries[agent.pk] = (name, seen, 0.0)
        _write(ticket, entries)


def others(ticket: Ticket, agent: User, *, now: float | None = None) -> list[Presence]:
    """The other agents on the ticket now, writers first, then by name."""
    now = time.time() if now is None else now
    found = [
        Presence(name, now - wrote_at < WRITING_SECONDS)
        for pk, (name, _seen, wrote_at) in _read(ticket, now).items()
        if pk != agent.pk
    ]
    return sorted(found, key=lambda p: (not p.writing, p.name))


def signature(present: list[Presence]) -> str:
    """What the page shows, in short: a poll that finds the same answers with no content."""
    return "|".join(f"{p.name}:{int(p.writing)}" for p in present)


def newer_customer_messages(ticket: Ticket, seen_message_id: int | None) -> list[Message]:
    """The customer's public messages that arrived after the one the agent's page showed
    last (`seen_message_id`; None: the page predates this check, so nothing is newer)."""
    if seen_message_id is None:
        return []
    return list(
        ticket.messages.filter(pk__gt=seen_message_id, is_internal=False)
        .filter(author__staff_role="")
        .select_related("author")
    )
