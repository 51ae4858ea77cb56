"""Triage: priority from impact and urgency, out-of-scope answers, request-form answers
completed by staff.

Customers never choose a priority: they say how much the problem blocks (impact) and
how soon they need help (urgency), and the admin-edited matrix (`PriorityMatrixEntry`)
turns the two into a priority; `DEFAULT_MATRIX` fills any cell the admins left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from tiketti.accounts.models import User

from . import services
from .errors import StaleTicket, TicketError
from .fields import clean_answers
from .models import (
    CloseReason,
    Impact,
    PriorityMatrixEntry,
    ScopeAnswer,
    Ticket,
    TicketEvent,
    Urgency,
)
from .signals import ticket_out_of_scope

Priority = Ticket.Priority

DEFAULT_MATRIX: dict[tuple[str, str], str] = {
    (Impact.BLOCKS_ALL, Urgency.HIGH): Priority.URGENT,
    (Impact.BLOCKS_ALL, Urgency.MEDIUM): Priority.HIGH,
    (Impact.BLOCKS_ALL, Urgency.LOW): Priority.HIGH,
    (Impact.BLOCKS_PART, Urgency.HIGH): Priority.HIGH,
    (Impact.BLOCKS_PART, Urgency.MEDIUM): Priority.NORMAL,
    (Impact.BLOCKS_PART, Urgency.LOW): Priority.NORMAL,
    (Impact.NO_BLOCK, Urgency.HIGH): Priority.NORMAL,
    (Impact.NO_BLOCK, Urgency.MEDIUM): Priority.NORMAL,
    (Impact.NO_BLOCK, Urgency.LOW): Priority.LOW,
}
# What an unanswered half of the question counts as.
DEFAULT_IMPACT = Impact.NO_BLOCK
DEFAULT_URGENCY = Urgency.MEDIUM


def check_impact_and_urgency(impact: str, urgency: str) -> None:
    if impact and impact not in Impact.values:
        raise TicketError(
            _("“%(value)s” is not an impact. Use one of: %(choices)s.")
            % {"value": impact, "choices": ", ".join(Impact.values)},
            code="unknown_impact",
        )
    if urgency and urgency not in Urgency.values:
        raise TicketError(
            _("“%(value)s” is not an urgency. Use one of: %(choices)s.")
            % {"value": urgency, "choices": ", ".join(Urgency.values)},
            code="unknown_urgency",
        )


def matrix_priority(matrix: Mapping[tuple[str, str], str], impact: str, urgency: str) -> str:
    """The priority a matrix gives; normal when neither impact nor urgency is known."""
    if not impact and not urgency:
        return Priority.NORMAL
    cell = (impact or DEFAULT_IMPACT, urgency or DEFAULT_URGENCY)
    return matrix.get(cell) or DEFAULT_MATRIX[cell]


def priority_for(impact: str, urgency: str) -> str:
    """The priority the admins' matrix gives this impact and urgency."""
    check_impact_and_urgency(impact, urgency)
    if not impact and not urgency:
        return Priority.NORMAL
    rows = PriorityMatrixEntry.objects.values_list("impact", "urgency", "priority")
    return matrix_priority({(i, u): p for i, u, p in rows}, impact, urgency)


def edit_properties(
    *,
    ticket: Ticket,
    actor: User,
    changes: services.PropertyChanges,
    impact: str,
    urgency: str,
    expected_version: int | None = None,
) -> Ticket:
    """An agent's edit of the ticket's properties and its impact and urgency, all at
    once or not at all. A changed impact or urgency sets the priority by the matrix,
    unless the agent chose another priority in the same edit."""
    with transaction.atomic():
        chose_priority = changes.priority != ticket.priority
        ticket = services.update_ticket(
            ticket=ticket, actor=actor, expected_version=expected_version, **changes.as_kwargs()
        )
        return set_impact_and_urgency(
            ticket=ticket,
            actor=actor,
            impact=impact,
            urgency=urgency,
            keep_priority=chose_priority,
        )


def set_impact_and_urgency(
    *,
    ticket: Ticket,
    actor: User,
    impact: str,
    urgency: str,
    keep_priority: bool = False,
    expected_version: int | None = None,
) -> Ticket:
    """Staff correct the impact or urgency; the priority follows the matrix (unless
    `keep_priority`)."""
    if not actor.is_agent:
        raise TicketError(_("Only staff can change the urgency."), code="forbidden")
    priority = priority_for(impact, urgency)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if expected_version is not None and ticket.version != expected_version:
            raise StaleTicket(
                _("Someone else changed this ticket meanwhile. Reload it and try again.")
            )
        changes = [
            (TicketEvent.Kind.IMPACT, "impact", impact),
            (TicketEvent.Kind.URGENCY, "urgency", urgency),
        ]
        changed = []
        for kind, name, value in changes:
            if getattr(ticket, name) != value:
                services.record_event(ticket, actor, kind, getattr(ticket, name), value)
                setattr(ticket, name, value)
                changed.append(name)
        if not changed:
            return ticket
        ticket.version += 1
        Ticket.objects.filter(pk=ticket.pk).update(
            impact=ticket.impact, urgency=ticket.urgency, version=ticket.version
        )
        return services.classify_ticket(
            ticket=ticket,
            actor=actor,
            category=ticket.category,
            priority=ticket.priority if keep_priority else priority,
        )


def update_field_answers(
    *,
    ticket: Ticket,
    actor: User,
    raw: Mapping[str, object],
    expected_version: int | None = None,
) -> Ticket:
    """Staff fill in or correct the answers to the category's questions (a mail came
    without them, the customer answered by phone). File answers stay as they are: files
    come with messages. Each changed answer is one history line."""
    if not actor.is_agent:
        raise TicketError(_("Only staff can edit the answers."), code="forbidden")
    fields = [
        field
        for field in (ticket.category.form_fields.all() if ticket.category else [])
        if field.kind != field.Kind.FILE
    ]
    answers = clean_answers(fields, raw, require=False)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if expected_version is not None and ticket.version != expected_version:
            raise StaleTicket(
                _("Someone else changed this ticket meanwhile. Reload it and try again.")
            )
        stored = dict(ticket.field_answers or {})
        changed = False
        for field in fields:
            old, new = stored.get(field.name), answers.get(field.name)
            if old == new:
                continue
            services.record_event(
                ticket, actor, TicketEvent.Kind.FIELD_ANSWER, field.name, _event_value(new)
            )
            if new is None:
                stored.pop(field.name, None)
            else:
                stored[field.name] = new
            changed = True
        if changed:
            ticket.field_answers = stored
            ticket.version += 1
            Ticket.objects.filter(pk=ticket.pk).update(field_answers=stored, version=ticket.version)
    return ticket


def _event_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def close_out_of_scope(
    *,
    ticket: Ticket,
    actor: User | None,
    answer: ScopeAnswer,
    expected_version: int | None = None,
) -> Ticket:
    """Answer a request outside the support contract with `answer` (the requester gets
    it by e-mail, in their language) and close it with the reason "out of scope".
    `actor` None: the category itself is out of scope (at intake)."""
    if actor is not None and not actor.is_agent:
        raise TicketError(_("Only staff can close a request as out of scope."), code="forbidden")
    with transaction.atomic():
        ticket = services.close_for_reason(
            ticket=ticket,
            actor=actor,
            reason=CloseReason.OUT_OF_SCOPE,
            expected_version=expected_version,
        )
        ticket.scope_answer = answer
        Ticket.objects.filter(pk=ticket.pk).update(scope_answer=answer)
        services.record_event(ticket, actor, TicketEvent.Kind.OUT_OF_SCOPE, "", answer.pk)
        ticket_id = ticket.pk
        transaction.on_commit(lambda: ticket_out_of_scope.send(Ticket, ticket_id=ticket_id))
    return ticket
