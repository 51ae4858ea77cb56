"""SLA on tickets: which policy applies, when each clock is due, pauses, met or breached.

Called by the ticket services inside their transaction, with the ticket row locked; the
arithmetic itself is `tiketti.sla.calendar`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tiketti.contracts.services import contract_in_force
from tiketti.sla.calendar import (
    BusinessCalendar,
    Target,
    TargetKind,
    compute_deadline,
    open_time_between,
    parse_target,
)
from tiketti.sla.models import TicketFacts, matching_policy

from .models import Ticket

CLOCKS = ("first_response", "next_response", "resolution")
PAUSED_STATUSES = frozenset(
    {
        Ticket.Status.WAITING,
        Ticket.Status.WAITING_APPROVAL,
        Ticket.Status.SOLVED,
        Ticket.Status.CLOSED,
    }
)


def plan_name(ticket: Ticket) -> str:
    contract = contract_in_force(ticket.organisation)
    return contract.plan.name if contract else ""


def ticket_facts(ticket: Ticket) -> TicketFacts:
    return TicketFacts(
        plan=plan_name(ticket),
        priority=ticket.priority,
        category=ticket.category.slug if ticket.category else "",
        is_paid_priority=ticket.is_paid_priority,
    )


def due_and_warning(
    target_text: str,
    calendar: BusinessCalendar,
    start: datetime,
    warn_share: float,
    extra: timedelta = timedelta(0),
) -> tuple[datetime, datetime]:
    """When a clock started at `start` is due (pushed later by `extra` time it was paused),
    and when the warning goes off: after `warn_share` of the time allowed."""
    target = parse_target(target_text)
    due = compute_deadline(calendar, start, target)
    if extra:
        due = _extend(calendar, target, due, extra)
    if target.kind == TargetKind.HOURS:
        warn = start + (due - start) * warn_share
    else:
        allowed = open_time_between(calendar, start, due)
        minutes = int(allowed.total_seconds() * warn_share // 60)
        warn = compute_deadline(calendar, start, Target(TargetKind.BUSINESS_MINUTES, minutes))
    # In UTC: within one zone Python compares wall clocks and ignores DST's `fold`.
    return due.astimezone(UTC), warn.astimezone(UTC)


def _extend(
    calendar: BusinessCalendar, target: Target, due: datetime, extra: timedelta
) -> datetime:
    if target.kind == TargetKind.HOURS:
        return due + extra
    minutes = int(extra.total_seconds() // 60)
    return compute_deadline(calendar, due, Target(TargetKind.BUSINESS_MINUTES, minutes))


def _set_clock(ticket: Ticket, clock: str, start: datetime | None, extra: timedelta) -> None:
    policy = ticket.sla_policy
    settings = policy.clock(clock) if policy is not None and start is not None else None
    if settings is None or start is None or policy is None:
        setattr(ticket, f"{clock}_due_at", None)
        setattr(ticket, f"{clock}_warn_at", None)
        return
    target, calendar = settings
    due, warn = due_and_warning(target, calendar, start, policy.warn_at_percent / 100, extra)
    setattr(ticket, f"{clock}_due_at", due)
    setattr(ticket, f"{clock}_warn_at", warn)


def clock_start(ticket: Ticket) -> datetime:
    """When the promises started: arrival, or acceptance for a request staff held first."""
    return ticket.sla_started_at or ticket.created_at


def refresh_sla(ticket: Ticket) -> None:
    """Match the policy again and recompute every running clock (after a change to what
    they depend on: priority, category, plan, paid priority). A held request has none."""
    ticket.sla_policy = None if ticket.held_reason else matching_policy(ticket_facts(ticket))
    first_start = clock_start(ticket) if ticket.first_responded_at is None else None
    _set_clock(ticket, "first_response", first_start, timedelta(0))
    _set_clock(ticket, "next_response", ticket.awaiting_response_since, timedelta(0))
    resolution_start = clock_start(ticket) if ticket.resolved_at is None else None
    _set_clock(ticket, "resolution", resolution_start, timedelta(seconds=ticket.sla_paused_seconds))


def record_agent_reply(ticket: Ticket, now: datetime) -> list[tuple[str, str]]:
    """An agent's public reply answers the customer: stop the response clocks. Returns
    (clock, "met"/"breached") outcomes for the event log."""
    outcomes = []
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        ticket.first_response_business_seconds = clock_seconds(
            ticket, "first_response", clock_start(ticket), now
        )
        if ticket.first_response_due_at is not None:
            ticket.first_response_breached = now > ticket.first_response_due_at
            outcomes.append(("first_response", _verdict(ticket.first_response_breached)))
        ticket.first_response_due_at = ticket.first_response_warn_at = None
    if ticket.awaiting_response_since is not None:
        if ticket.next_response_due_at is not None:
            outcomes.append(("next_response", _verdict(now > ticket.next_response_due_at)))
        ticket.awaiting_response_since = None
        ticket.next_response_due_at = ticket.next_response_warn_at = None
    return outcomes


def record_customer_reply(ticket: Ticket, now: datetime) -> None:
    """A customer's reply after we have answered starts the next-response clock."""
    if ticket.first_responded_at is not None and ticket.awaiting_response_since is None:
        ticket.awaiting_response_since = now
        _set_clock(ticket, "next_response", now, timedelta(0))


def record_status_change(
    ticket: Ticket, old: str, new: str, now: datetime
) -> list[tuple[str, str]]:
    """Pause the resolution clock while waiting or solved; add the pause back when the
    ticket is ours again; record met/breached when it is solved."""
    outcomes = []
    # A customer may close a request that was never marked solved: it is resolved then.
    if new in (Ticket.Status.SOLVED, Ticket.Status.CLOSED) and ticket.resolved_at is None:
        ticket.resolved_at = now
        ticket.resolution_business_seconds = resolution_seconds(ticket, now)
        if ticket.resolution_due_at is not None:
            ticket.resolution_breached = now > ticket.resolution_due_at
            outcomes.append(("resolution", _verdict(ticket.resolution_breached)))
    if new in PAUSED_STATUSES and old not in PAUSED_STATUSES:
        ticket.sla_paused_at = now
    elif new not in PAUSED_STATUSES and old in PAUSED_STATUSES:
        _resume(ticket, now)
    return outcomes


def _resume(ticket: Ticket, now: datetime) -> None:
    if ticket.sla_paused_at is not None:
        ticket.sla_paused_seconds += int(_paused_for(ticket, ticket.sla_paused_at, now))
    ticket.sla_paused_at = None
    ticket.resolved_at = None
    ticket.resolution_business_seconds = None
    ticket.resolution_breached = None
    resolution_start = clock_start(ticket)
    _set_clock(ticket, "resolution", resolution_start, timedelta(seconds=ticket.sla_paused_seconds))


def _paused_for(ticket: Ticket, since: datetime, now: datetime) -> float:
    """Paused time in the resolution clock's own terms."""
    return float(clock_seconds(ticket, "resolution", since, now) or 0)


def clock_seconds(ticket: Ticket, clock: str, since: datetime, until: datetime) -> int | None:
    """Time from `since` to `until` in the clock's own terms: open time of its calendar
    for business targets, wall-clock time for `Nh` targets; None without a policy clock."""
    settings = ticket.sla_policy.clock(clock) if ticket.sla_policy else None
    if settings is None:
        return None
    target, calendar = settings
    if until <= since:
        return 0
    if parse_target(target).kind == TargetKind.HOURS:
        return int((until - since).total_seconds())
    return int(open_time_between(calendar, since, until).total_seconds())


def resolution_seconds(ticket: Ticket, resolved_at: datetime) -> int | None:
    """How long the resolution clock ran until `resolved_at`: its time from the start,
    less the time it stood paused (earlier pauses, and the one running now)."""
    total = clock_seconds(ticket, "resolution", clock_start(ticket), resolved_at)
    if total is None:
        return None
    paused = ticket.sla_paused_seconds
    if ticket.sla_paused_at is not None:
        paused += clock_seconds(ticket, "resolution", ticket.sla_paused_at, resolved_at) or 0
    return max(0, total - paused)


def _verdict(breached: bool) -> str:
    return "breached" if breached else "met"


SLA_FIELDS = [
    "sla_policy",
    *[f"{clock}_{suffix}" for clock in CLOCKS for suffix in ("due_at", "warn_at")],
    "first_responded_at",
    "first_response_breached",
    "first_response_business_seconds",
    "awaiting_response_since",
    "resolved_at",
    "resolution_breached",
    "resolution_business_seconds",
    "sla_paused_at",
    "sla_paused_seconds",
]
