"""The SLA sweep: warn before a clock runs out, escalate when it has. Run every minute
by the worker's scheduler; safe to run on several workers at once."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tiketti.accounts.models import User, UserQuerySet

from . import services
from .models import SlaAlert, Ticket, TicketEvent, running_clocks
from .signals import sla_alert_raised

logger = logging.getLogger(__name__)

RUNNING = running_clocks()
HIGHER_PRIORITY = {
    Ticket.Priority.LOW: Ticket.Priority.NORMAL,
    Ticket.Priority.NORMAL: Ticket.Priority.HIGH,
    Ticket.Priority.HIGH: Ticket.Priority.URGENT,
}


def sweep_sla(now: datetime | None = None) -> int:
    """Fire every warning and breach that is due and has not fired yet; returns how many."""
    now = now or timezone.now()
    fired = 0
    for clock, running in RUNNING.items():
        tickets = Ticket.objects.unresolved().filter(running)
        due_soon = tickets.filter(**{f"{clock}_warn_at__lte": now, f"{clock}_due_at__gt": now})
        for ticket in due_soon.only("pk", f"{clock}_due_at"):
            fired += _fire(ticket, clock, SlaAlert.Kind.WARNING)
        overdue = tickets.filter(**{f"{clock}_due_at__lte": now})
        for ticket in overdue.only("pk", f"{clock}_due_at"):
            fired += _fire(ticket, clock, SlaAlert.Kind.BREACH)
    return fired


def _fire(ticket: Ticket, clock: str, kind: str) -> int:
    due_at = getattr(ticket, f"{clock}_due_at")
    try:
        with transaction.atomic():
            alert = SlaAlert.objects.create(ticket=ticket, clock=clock, kind=kind, due_at=due_at)
            if kind == SlaAlert.Kind.BREACH:
                _escalate(Ticket.objects.get(pk=ticket.pk), clock)
            transaction.on_commit(lambda: sla_alert_raised.send(SlaAlert, alert_id=alert.pk))
    except IntegrityError:
        return 0  # another sweep fired it already
    return 1


def _escalate(ticket: Ticket, clock: str) -> None:
    services.record_event(ticket, None, TicketEvent.Kind.SLA, clock, "overdue")
    policy = ticket.sla_policy
    if policy is None:
        return
    if policy.raise_priority_on_breach and ticket.priority in HIGHER_PRIORITY:
        ticket = services.classify_ticket(
            ticket=ticket,
            actor=None,
            category=ticket.category,
            priority=HIGHER_PRIORITY[Ticket.Priority(ticket.priority)],
        )
    lead = team_leads(ticket).first()
    if policy.reassign_to_lead_on_breach and lead is not None and ticket.assignee != lead:
        services.assign_ticket(ticket=ticket, actor=None, assignee=lead, team=ticket.team)


def team_leads(ticket: Ticket) -> UserQuerySet:
    """The ticket team's leads; all team leads when the team has none."""
    leads = User.objects.staff_members().filter(staff_role=User.StaffRole.TEAM_LEAD)
    if ticket.team_id is not None and leads.filter(teams=ticket.team_id).exists():
        return leads.filter(teams=ticket.team_id)
    return leads
