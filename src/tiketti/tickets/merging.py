"""Merge two tickets about one matter, or split a ticket's messages off into a new one.

Both are staff work, each in one transaction that locks both tickets in a fixed order (by
primary key), so two merges of the same pair cannot deadlock or interleave. Both tickets'
histories say what happened. A merged ticket is closed and keeps `merged_into`: its number,
its links and replies to its mails lead to the surviving ticket.

Things other apps keep per ticket (time entries, quotes) move with `ticket_merging`, sent
inside the transaction (tickets imports no app that builds on it).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import User
from tiketti.operations.rows import insert

from . import deadlines, search
from .errors import NotAllowed, TicketError
from .models import Attachment, Message, SlaAlert, ThreadId, Ticket, TicketEvent
from .numbering import next_ticket_number
from .services import SUBJECT_LIMIT, _record, _set_status, _touch
from .signals import ticket_merged, ticket_merging
from .subjects import shorten_subject


class MergeRefused(TicketError):
    code = "merge_refused"
    status = 409


class SplitRefused(TicketError):
    code = "split_refused"
    status = 409


def _check_staff(actor: User) -> None:
    if not actor.is_agent:
        raise NotAllowed(_("Only staff can merge or split tickets."))


def _lock_pair(first: Ticket, second: Ticket) -> tuple[Ticket, Ticket]:
    """Both tickets reloaded under row locks, taken in primary-key order."""
    locked = {
        ticket.pk: ticket
        for ticket in Ticket.objects.select_for_update().filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }  # fmt: skip
    return locked[first.pk], locked[second.pk]


def merge_target(into: Ticket) -> Ticket:
    """The ticket a merge into `into` lands on: where its own merges lead (as stored now)."""
    return Ticket.objects.get(pk=into.pk).survivor()


def _check_merge(merged: Ticket, survivor: Ticket) -> None:
    if merged.pk == survivor.pk:
        raise MergeRefused(_("A ticket cannot be merged into itself."), code="merge_into_itself")
    if merged.merged_into_id is not None:
        raise MergeRefused(
            _("Ticket %(number)s was already merged into another ticket.")
            % {"number": merged.number},
            code="already_merged",
        )
    if survivor.is_closed:
        raise MergeRefused(
            _("Ticket %(number)s is closed: merge into an open ticket.")
            % {"number": survivor.number},
            code="merge_into_closed",
        )
    if merged.organisation_id != survivor.organisation_id or (
        merged.organisation_id is None and merged.requester_id != survivor.requester_id
    ):
        raise MergeRefused(
            _(
                "Tickets %(merged)s and %(survivor)s belong to different customers: "
                "only tickets of one organisation can be merged."
            )
            % {"merged": merged.number, "survivor": survivor.number},
            code="merge_across_organisations",
        )


def merge_tickets(*, ticket: Ticket, into: Ticket, actor: User) -> Ticket:
    """Move everything of `ticket` onto `into` (or where `into` was merged) and close
    `ticket` as merged. Returns the surviving ticket."""
    _check_staff(actor)
    with transaction.atomic():
        survivor = merge_target(into)
        merged, survivor = _lock_pair(ticket, survivor)
        _check_merge(merged, survivor)
        Message.objects.filter(ticket=merged).update(ticket=survivor)
        Attachment.objects.filter(ticket=merged).update(ticket=survivor)
        ThreadId.objects.filter(ticket=merged).update(ticket=survivor)
        _move_sla_alerts(merged, survivor)
        people = {*merged.cc.all(), merged.requester} - {survivor.requester}
        survivor.cc.add(*people)
        ticket_merging.send(Ticket, merged_id=merged.pk, survivor_id=survivor.pk)
        search.reindex_ticket(survivor)
        search.reindex_ticket(merged)
        _record(merged, actor, TicketEvent.Kind.MERGED_INTO, "", survivor.number)
        _record(survivor, actor, TicketEvent.Kind.MERGED_FROM, merged.number, "")
        merged.merged_into = survivor
        if not merged.is_closed:
            _set_status(merged, actor, Ticket.Status.CLOSED)
        _touch(merged, ["merged_into", "status", *deadlines.SLA_FIELDS])
        _touch(survivor, [])
        merged_id, survivor_id = merged.pk, survivor.pk
        transaction.on_commit(
            lambda: ticket_merged.send(Ticket, ticket_id=merged_id, survivor_id=survivor_id)
        )
    return survivor


def _move_sla_alerts(merged: Ticket, survivor: Ticket) -> None:
    """Alerts move unless the survivor has the same one (each fires once per deadline)."""
    fired = set(survivor.sla_alerts.values_list("clock", "kind", "due_at"))
    movable = [
        alert.pk
        for alert in merged.sla_alerts.all()
        if (alert.clock, alert.kind, alert.due_at) not in fired
    ]
    SlaAlert.objects.filter(pk__in=movable).update(ticket=survivor)


def split_ticket(
    *, ticket: Ticket, message_ids: Sequence[int], subject: str, actor: User
) -> Ticket:
    """Move the chosen messages (with their attachments) to a new ticket of the same
    requester, organisation, category and team. Returns the new ticket."""
    _check_staff(actor)
    chosen = set(message_ids)
    if not chosen:
        raise SplitRefused(_("Choose the messages to split off."), code="split_no_messages")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.merged_into_id is not None:
            raise SplitRefused(
                _("Ticket %(number)s was merged into another ticket.") % {"number": ticket.number},
                code="already_merged",
            )
        all_ids = set(ticket.messages.values_list("pk", flat=True))
        if not chosen <= all_ids:
            raise SplitRefused(
                _("Some of the chosen messages are not on ticket %(number)s.")
                % {"number": ticket.number},
                code="split_unknown_message",
            )
        if chosen == all_ids:
            raise SplitRefused(
                _("Leave at least one message on ticket %(number)s.") % {"number": ticket.number},
                code="split_all_messages",
            )
        new = _new_ticket_like(ticket, subject)
        moved = Message.objects.filter(ticket=ticket, pk__in=chosen)
        message_ids_of_mail = [m for m in moved.values_list("message_id", flat=True) if m]
        Attachment.objects.filter(ticket=ticket, message__in=moved).update(ticket=new)
        ThreadId.objects.filter(ticket=ticket, message_id__in=message_ids_of_mail).update(
            ticket=new
        )
        moved.update(ticket=new)
        search.reindex_ticket(new)
        search.reindex_ticket(ticket)
        _record(new, actor, TicketEvent.Kind.CREATED, "", new.number)
        _record(new, actor, TicketEvent.Kind.SPLIT_FROM, ticket.number, "")
        _record(ticket, actor, TicketEvent.Kind.SPLIT_OFF, "", new.number)
        _touch(ticket, [])
        _touch(new, [])
    return new


def _new_ticket_like(ticket: Ticket, subject: str) -> Ticket:
    now = timezone.now()
    new = Ticket(
        number=next_ticket_number(settings.TIKETTI_TICKET_PREFIX),
        subject=shorten_subject(subject.strip(), SUBJECT_LIMIT) or ticket.subject,
        requester=ticket.requester,
        organisation=ticket.organisation,
        category=ticket.category,
        team=ticket.team,
        assignee=ticket.assignee,
        channel=ticket.channel,
        is_paid_priority=ticket.is_paid_priority,
        impact=ticket.impact,
        urgency=ticket.urgency,
        created_at=now,
        updated_at=now,
    )
    new.set_priority(ticket.priority)
    deadlines.refresh_sla(new)
    insert(new)
    new.cc.set(ticket.cc.all())
    return new
