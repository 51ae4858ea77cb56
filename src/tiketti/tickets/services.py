"""Ticket workflows: every change to a ticket goes through these functions.

Each one takes the ticket row lock, validates, writes the change and its event, and lets
the world know after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiketti.accounts.models import Team, User
from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit
from tiketti.operations.rows import insert, update

from . import deadlines, lifecycle, search
from .attachments import IncomingFile, check_files, store_attachment
from .errors import NotAllowed, StaleTicket, TicketError
from .models import Attachment, Category, Idea, Message, ThreadId, Ticket, TicketEvent
from .numbering import next_ticket_number
from .rendering import rewrite_inline_images, sanitize_html
from .routing import Routed
from .signals import (
    message_posted,
    ticket_assigned,
    ticket_created,
    ticket_solved,
    ticket_updated,
)
from .subjects import shorten_subject, subject_limit

SUBJECT_LIMIT = subject_limit(Ticket)


def _record(ticket: Ticket, actor: User | None, kind: str, old: object, new: object) -> None:
    event = TicketEvent(
        ticket=ticket,
        actor=actor,
        kind=kind,
        old_value=str(old or "")[:250],
        new_value=str(new or "")[:250],
    )
    insert(event)


def _lock(ticket: Ticket, expected_version: int | None, *, current: bool = False) -> Ticket:
    """Reload the ticket under a row lock; refuse an edit made on an outdated page.

    `current`: the caller read `ticket` inside this transaction. A database without row
    locks (SQLite) admits one writer at a time for the whole transaction, so that copy
    is already the latest and reading it again would buy nothing.
    """
    if current and one_writer_at_a_time():
        locked = ticket
    else:
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleTicket(_("Someone else changed this ticket meanwhile. Reload it and try again."))
    return locked


def one_writer_at_a_time() -> bool:
    """Whether the database lets one transaction write at a time (SQLite, which Tiketti
    opens with BEGIN IMMEDIATE): inside a write transaction nothing changes but what it
    changes itself. A database with row locks (PostgreSQL) has concurrent writers."""
    return not transaction.get_connection().features.has_select_for_update


def register_thread_id(ticket: Ticket, message_id: str) -> None:
    """Remember that `message_id` belongs to this ticket's conversation (the first ticket
    to see a Message-ID keeps it)."""
    thread_id = ThreadId(ticket=ticket, message_id=message_id[:250])
    insert(thread_id, ignore_conflicts=True)  # no savepoint needed


def record_event(ticket: Ticket, actor: User | None, kind: str, old: object, new: object) -> None:
    """Log a change made outside these services (redaction by the mail app, or Tiketti's
    own escalation when `actor` is None)."""
    _record(ticket, actor, kind, old, new)


def _team_key(team: Team | None) -> str:
    """A team as its history stores it: the default name, shown translated (`history`)."""
    return team.name if team else ""


def _category_key(category: Category | None) -> str:
    return category.slug if category else ""


def _touch(ticket: Ticket, fields: Iterable[str], *, announce: bool = True) -> None:
    ticket.updated_at = timezone.now()
    ticket.version += 1
    update(ticket, [*fields, "updated_at", "version"])
    if announce:
        _announce_update(ticket.pk)


def _announce_update(ticket_id: int) -> None:
    """Send `ticket_updated` once after commit, however many services change the ticket
    in one transaction (an agent's edit runs three). The set lives on the thread's
    connection; a rolled-back transaction leaves its id there, and the next commit that
    announces that ticket sends it (a callback always runs for each announcement)."""
    connection = transaction.get_connection()
    pending: set[int] = connection.__dict__.setdefault("tiketti_pending_updates", set())
    pending.add(ticket_id)

    def send() -> None:
        if ticket_id in pending:
            pending.discard(ticket_id)
            ticket_updated.send(Ticket, ticket_id=ticket_id)

    transaction.on_commit(send)


def _announce_assignment(ticket_id: int, assignee_id: int) -> None:
    transaction.on_commit(
        lambda: ticket_assigned.send(Ticket, ticket_id=ticket_id, assignee_id=assignee_id)
    )


def _no_subject(language: str) -> str:
    """The subject of a request that has none, stored in the requester's language (not
    that of whoever's command or page opened the ticket)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _("(no subject)")


def open_ticket(
    *,
    requester: User,
    subject: str,
    body_text: str,
    channel: str,
    body_html: str = "",
    category: Category | None = None,
    priority: str = Ticket.Priority.NORMAL,
    cc: Sequence[User] = (),
    files: Sequence[IncomingFile] = (),
    actor: User | None = None,
    message_id: str = "",
    team: Team | None = None,
    acknowledge: bool = True,
    held_reason: str = "",
    is_paid_priority: bool = False,
    routed: Routed | None = None,
    is_acute: bool = False,
    impact: str = "",
    urgency: str = "",
    field_answers: dict[str, object] | None = None,
) -> tuple[Ticket, Message]:
    """Create a ticket with its first message; route it by the routing rules (`routed`,
    decided by intake), else by category, else to `team`. A request in a category for
    ideas starts a development idea. Use the intake service
    (`tickets.intake.submit_request`) from channels: it decides whether to."""
    if priority not in Ticket.Priority.values:
        raise TicketError(
            _("“%(priority)s” is not a priority. Use one of: %(choices)s.")
            % {"priority": priority, "choices": ", ".join(Ticket.Priority.values)},
            code="unknown_priority",
        )
    check_files(files, channel=channel)
    # Everything that can refuse the ticket ran above: inside a caller's transaction
    # (intake) a savepoint would buy nothing, as a failure here undoes the whole request.
    with transaction.atomic(savepoint=False):
        number = next_ticket_number(settings.TIKETTI_TICKET_PREFIX)  # waits for its turn
        now = timezone.now()
        ticket = Ticket(
            number=number,
            subject=shorten_subject(subject, SUBJECT_LIMIT) or _no_subject(requester.language),
            requester=requester,
            organisation=requester.organisation,
            category=category,
            team=(routed.team if routed else None)
            or (category.team if category and category.team else team),
            assignee=routed.assignee if routed else None,
            channel=channel,
            held_reason=held_reason,
            is_paid_priority=is_paid_priority,
            is_acute=is_acute,
            impact=impact,
            urgency=urgency,
            field_answers=field_answers or {},
            created_at=now,
            updated_at=now,
        )
        ticket.set_priority(priority)
        if category is not None and category.handling == Category.Handling.IDEA:
            ticket.idea = Idea.objects.create(title=ticket.subject, description=body_text[:4000])
        deadlines.refresh_sla(ticket)  # the clocks start at created_at: set before saving
        insert(ticket)
        # The first message's words go in with the subject's: one INSERT, no UPDATE.
        search.start_document(ticket, requester.language, body_text)
        if cc:
            ticket.cc.set([person for person in cc if person.pk != requester.pk])
        _record(ticket, actor or requester, TicketEvent.Kind.CREATED, "", ticket.number)
        _record_routing(ticket, routed)
        if is_acute:
            _record(ticket, actor or requester, TicketEvent.Kind.ACUTE, "", "1")
        if ticket.idea is not None:
            _record(ticket, None, TicketEvent.Kind.IDEA, "", ticket.idea.pk)
        message = _add_message(
            ticket, requester, body_text, body_html, channel, files, False, message_id,
            indexed=True,
        )  # fmt: skip
        transaction.on_commit(
            lambda: ticket_created.send(
                Ticket, ticket_id=ticket.pk, message_id=message.pk, acknowledge=acknowledge
            )
        )
    return ticket, message


def _record_routing(ticket: Ticket, routed: Routed | None) -> None:
    """One event per part a rule gave: the rule's pk, and what it gave as a stable key
    (`history` puts it in words: "routed to the team Billing by the rule …")."""
    if routed is None:
        return
    given = {
        "category": _category_key(ticket.category),
        "team": _team_key(ticket.team),
        "assignee": ticket.assignee.get_full_name() if ticket.assignee else "",
    }
    for part, rule_id in routed.rules.items():
        _record(ticket, None, TicketEvent.Kind.ROUTED, rule_id, f"{part}:{given[part]}")


def _add_message(
    ticket: Ticket,
    author: User,
    body_text: str,
    body_html: str,
    channel: str,
    files: Sequence[IncomingFile],
    is_internal: bool,
    message_id: str,
    quote_removed: bool = False,
    *,
    indexed: bool = False,
) -> Message:
    message = Message(
        ticket=ticket,
        author=author,
        is_internal=is_internal,
        body_text=body_text,
        body_html=sanitize_html(body_html) if body_html else "",
        channel=channel,
        message_id=message_id,
        quote_removed=quote_removed,
    )
    insert(message)
    if not indexed:
        search.add_text(ticket, body_text, _text_language(ticket, author))
    if message_id:
        register_thread_id(ticket, message_id)
    inline: dict[str, str] = {}
    for incoming in files:
        attachment = store_attachment(message, incoming)
        _record_attachment(ticket, author, attachment)
        if attachment.content_id and not attachment.is_blocked:
            inline[attachment.content_id] = reverse(
                "tickets:attachment", args=[attachment.key, attachment.filename]
            )
    if inline and "cid:" in message.body_html:
        message.body_html = rewrite_inline_images(message.body_html, inline)
        message.save(update_fields=["body_html"])
    return message


def _text_language(ticket: Ticket, author: User) -> str:
    """The language a message is indexed in: its requester's (staff answer in it too)."""
    return author.language if author.pk == ticket.requester_id else ticket.requester.language


def _record_attachment(ticket: Ticket, author: User, attachment: Attachment) -> None:
    if attachment.is_blocked:  # said by the system: the policy kept it out, not the sender
        kind = TicketEvent.Kind.ATTACHMENT_BLOCKED
        _record(ticket, None, kind, attachment.blocked_type, attachment.filename)
    else:
        _record(ticket, author, TicketEvent.Kind.ATTACHMENT, "", attachment.filename)


def post_message(
    *,
    ticket: Ticket,
    author: User,
    body_text: str,
    channel: str,
    body_html: str = "",
    is_internal: bool = False,
    files: Sequence[IncomingFile] = (),
    new_status: str | None = None,
    expected_version: int | None = None,
    message_id: str = "",
    ticket_is_current: bool = False,
    quote_removed: bool = False,
) -> Message:
    """Add a public reply or an internal note.

    A customer's reply reopens a waiting or solved ticket; an agent's public reply moves it
    to `new_status` (by default: waiting on customer). Internal notes change no status and
    are never shown or sent to customers. `ticket_is_current`: the caller read `ticket`
    in the transaction it calls this in (see `_lock`). `quote_removed`: `body_text` is
    an e-mail's new part only; its quoted history stays in the stored original.
    """
    if not body_text.strip() and not files:
        raise TicketError(_("Write a message or attach a file."), code="empty_message")
    if is_internal and not author.is_agent:
        raise TicketError(_("Only staff can write internal notes."), code="forbidden")
    check_files(files, channel=channel)
    with transaction.atomic():
        ticket = _lock(ticket, expected_version, current=ticket_is_current)
        if ticket.is_closed and not author.is_agent:
            raise TicketError(
                _("This ticket is closed. Please send a new request instead."),
                code="ticket_closed",
            )
        message = _add_message(
            ticket,
            author,
            body_text,
            body_html,
            channel,
            files,
            is_internal,
            message_id,
            quote_removed=quote_removed,
        )
        kind = TicketEvent.Kind.NOTE if is_internal else TicketEvent.Kind.MESSAGE
        _record(ticket, author, kind, "", message.pk)
        target = _status_after_message(ticket, author, is_internal, new_status)
        status_changes = target != ticket.status
        if status_changes:
            lifecycle.check_transition(ticket.status, target)
        _record_sla(ticket, author, _sla_after_message(ticket, author, is_internal))
        if status_changes:
            _set_status(ticket, author, target)
        _touch(ticket, ["status", *deadlines.SLA_FIELDS], announce=status_changes)
        if not is_internal:
            transaction.on_commit(
                lambda: message_posted.send(Message, ticket_id=ticket.pk, message_id=message.pk)
            )
    return message


def attach_files(
    *,
    message: Message,
    author: User,
    files: Sequence[IncomingFile],
    channel: str = Ticket.Channel.API,
) -> Message:
    """Add files to a message its author posted before (files sent after the text, in a
    request of their own: `channel` is how they came). Nobody is notified again:
    notifications link to the thread."""
    if message.author_id != author.pk:
        raise NotAllowed(
            _("Files can be added only to your own messages."), code="not_your_message"
        )
    if not files:
        raise TicketError(_("Attach at least one file."), code="no_files")
    check_files(files, channel=channel)
    with transaction.atomic():
        ticket = _lock(message.ticket, None)
        if ticket.is_closed and not author.is_agent:
            raise TicketError(
                _("This ticket is closed. Please send a new request instead."),
                code="ticket_closed",
            )
        check_files(files, channel=channel, already_attached=message.attachments.count())
        for incoming in files:
            _record_attachment(ticket, author, store_attachment(message, incoming))
        _touch(ticket, [])
    return message


def _sla_after_message(ticket: Ticket, author: User, is_internal: bool) -> list[tuple[str, str]]:
    if is_internal:
        return []  # a note is not an answer to the customer
    now = timezone.now()
    if author.is_agent:
        return deadlines.record_agent_reply(ticket, now)
    deadlines.record_customer_reply(ticket, now)
    return []


def _set_status(ticket: Ticket, actor: User | None, status: str) -> None:
    _record(ticket, actor, TicketEvent.Kind.STATUS, ticket.status, status)
    outcomes = deadlines.record_status_change(ticket, ticket.status, status, timezone.now())
    ticket.status = status
    _record_sla(ticket, actor, outcomes)
    if status == Ticket.Status.SOLVED:
        ticket_id = ticket.pk
        transaction.on_commit(lambda: ticket_solved.send(Ticket, ticket_id=ticket_id))


def _record_sla(ticket: Ticket, actor: User | None, outcomes: list[tuple[str, str]]) -> None:
    for clock, verdict in outcomes:
        _record(ticket, actor, TicketEvent.Kind.SLA, clock, verdict)


def _status_after_message(
    ticket: Ticket, author: User, is_internal: bool, new_status: str | None
) -> str:
    if is_internal:
        return new_status or ticket.status
    if not author.is_agent:
        return lifecycle.status_after_customer_reply(ticket.status)
    return new_status or Ticket.Status.WAITING


def change_status(
    *, ticket: Ticket, actor: User, status: str, expected_version: int | None = None
) -> Ticket:
    with transaction.atomic():
        ticket = _lock(ticket, expected_version)
        lifecycle.check_transition(ticket.status, status)
        if status != ticket.status:
            _set_status(ticket, actor, status)
            _touch(ticket, ["status", *deadlines.SLA_FIELDS])
    return ticket


def assign_ticket(
    *,
    ticket: Ticket,
    actor: User | None,
    assignee: User | None,
    team: Team | None,
    expected_version: int | None = None,
) -> Ticket:
    """Give the ticket to a person and/or a team. Assigning opens a new ticket."""
    if assignee is not None and not assignee.is_agent:
        raise TicketError(_("Tickets can only be assigned to staff."), code="invalid_assignee")
    with transaction.atomic():
        ticket = _lock(ticket, expected_version)
        changed: list[str] = []
        if assignee != ticket.assignee:
            _record(ticket, actor, TicketEvent.Kind.ASSIGNEE, ticket.assignee, assignee)
            ticket.assignee = assignee
            changed.append("assignee")
            if assignee is not None and assignee != actor:
                _announce_assignment(ticket.pk, assignee.pk)
        if team != ticket.team:
            _record(ticket, actor, TicketEvent.Kind.TEAM, _team_key(ticket.team), _team_key(team))
            ticket.team = team
            changed.append("team")
        if assignee is not None and ticket.status == Ticket.Status.NEW:
            _set_status(ticket, actor, Ticket.Status.OPEN)
            changed += ["status", *deadlines.SLA_FIELDS]
        if changed:
            _touch(ticket, changed)
    return ticket


def classify_ticket(
    *,
    ticket: Ticket,
    actor: User | None,
    category: Category | None,
    priority: str,
    expected_version: int | None = None,
) -> Ticket:
    """Change category and priority; a new category routes to its team if none is set."""
    if priority not in Ticket.Priority.values:
        raise TicketError(
            _("“%(priority)s” is not a priority. Use one of: %(choices)s.")
            % {"priority": priority, "choices": ", ".join(Ticket.Priority.values)},
            code="unknown_priority",
        )
    with transaction.atomic():
        ticket = _lock(ticket, expected_version)
        changed: list[str] = []
        if category != ticket.category:
            _record(
                ticket,
                actor,
                TicketEvent.Kind.CATEGORY,
                _category_key(ticket.category),
                _category_key(category),
            )
            ticket.category = category
            changed.append("category")
            if ticket.team is None and category is not None and category.team is not None:
                _record(ticket, actor, TicketEvent.Kind.TEAM, "", category.team.name)
                ticket.team = category.team
                changed.append("team")
        if priority != ticket.priority:
            _record(ticket, actor, TicketEvent.Kind.PRIORITY, ticket.priority, priority)
            ticket.set_priority(priority)
            changed += ["priority", "priority_rank"]
        if changed:
            deadlines.refresh_sla(ticket)  # the policy may match differently now
            _touch(ticket, [*changed, *deadlines.SLA_FIELDS])
    return ticket


@dataclass(frozen=True)
class PropertyChanges:
    """The properties an agent's edit sets (`update_ticket`)."""

    status: str
    priority: str
    category: Category | None
    team: Team | None
    assignee: User | None

    def as_kwargs(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def update_ticket(
    *,
    ticket: Ticket,
    actor: User,
    status: str,
    priority: str,
    category: Category | None,
    team: Team | None,
    assignee: User | None,
    expected_version: int | None = None,
) -> Ticket:
    """Apply an agent's edit of the ticket's properties all at once, or not at all."""
    with transaction.atomic():
        ticket = classify_ticket(
            ticket=ticket,
            actor=actor,
            category=category,
            priority=priority,
            expected_version=expected_version,
        )
        ticket = assign_ticket(ticket=ticket, actor=actor, assignee=assignee, team=team)
        return change_status(ticket=ticket, actor=actor, status=status)


def link_to_idea(*, ticket: Ticket, actor: User, idea: Idea) -> Ticket:
    """Link the ticket to a development idea (see `ideas`): its organisation votes."""
    with transaction.atomic():
        ticket = _lock(ticket, None)
        ticket.idea = idea
        _record(ticket, actor, TicketEvent.Kind.IDEA, "", idea.pk)
        _touch(ticket, ["idea"])
    return ticket


def accept_held_ticket(*, ticket: Ticket, actor: User, on_behalf_of: User | None = None) -> Ticket:
    """Staff accept a request that was held (e.g. an ordinary user's where only main users
    may file), optionally on behalf of a main user: it joins the queue, its SLA starts now
    and the requester gets the acknowledgement they did not get before."""
    if on_behalf_of is not None and (
        not on_behalf_of.is_main_user or on_behalf_of.organisation_id != ticket.organisation_id
    ):
        raise TicketError(
            _("Choose a main user of the ticket's organisation."), code="invalid_main_user"
        )
    with transaction.atomic():
        ticket = _lock(ticket, None)
        if not ticket.held_reason:
            raise TicketError(_("This request is not waiting for acceptance."), code="not_held")
        _record(ticket, actor, TicketEvent.Kind.ACCEPTED, ticket.held_reason, on_behalf_of or "")
        record_audit(
            AuditEntry.Action.HELD_ACCEPTED,
            actor=actor,
            target=ticket,
            target_label=ticket.number,
            details={
                "reason": ticket.held_reason,
                "on_behalf_of": on_behalf_of.email if on_behalf_of else "",
            },
        )
        ticket.held_reason = ""
        ticket.sla_started_at = timezone.now()
        deadlines.refresh_sla(ticket)
        _touch(ticket, ["held_reason", "sla_started_at", *deadlines.SLA_FIELDS])
        first = ticket.messages.order_by("created_at", "pk").first()
        if first is not None:
            transaction.on_commit(
                lambda: ticket_created.send(
                    Ticket, ticket_id=ticket.pk, message_id=first.pk, acknowledge=True
                )
            )
    return ticket


def close_ticket_for_customer(
    *, ticket: Ticket, customer: User, expected_version: int | None = None
) -> Ticket:
    """A customer closes their own request (solved, or no longer needed), from any
    status: it leaves the queue for good, and writing again starts a new request. Its
    requester and the organisation's main users may; the change is in the history."""
    if not lifecycle.customer_may_close(customer, ticket):
        raise TicketError(
            _("Only the requester or a main user can close this request."), code="not_allowed"
        )
    with transaction.atomic():
        ticket = _lock(ticket, expected_version)
        if ticket.status == Ticket.Status.CLOSED:
            raise TicketError(_("This request is already closed."), code="already_closed")
        _set_status(ticket, customer, Ticket.Status.CLOSED)
        _touch(ticket, ["status", *deadlines.SLA_FIELDS])
    return ticket


def decline_held_ticket(*, ticket: Ticket, actor: User) -> Ticket:
    """Staff decline a held request: it is closed as solved without work."""
    with transaction.atomic():
        ticket = _lock(ticket, None)
        if not ticket.held_reason:
            raise TicketError(_("This request is not waiting for acceptance."), code="not_held")
        _record(ticket, actor, TicketEvent.Kind.DECLINED, ticket.held_reason, "")
        record_audit(
            AuditEntry.Action.HELD_DECLINED,
            actor=actor,
            target=ticket,
            target_label=ticket.number,
            details={"reason": ticket.held_reason},
        )
        ticket.held_reason = ""
        _set_status(ticket, actor, Ticket.Status.SOLVED)
        _touch(ticket, ["held_reason", "status", *deadlines.SLA_FIELDS])
    return ticket


def close_for_reason(
    *, ticket: Ticket, actor: User | None, reason: str, expected_version: int | None = None
) -> Ticket:
    """Close a ticket from any status for a reason (`Ticket.close_reason`), e.g. a
    request outside the support contract: it leaves the queue for good."""
    with transaction.atomic():
        ticket = _lock(ticket, expected_version)
        if ticket.is_closed:
            raise TicketError(_("This request is already closed."), code="already_closed")
        ticket.close_reason = reason
        _set_status(ticket, actor, Ticket.Status.CLOSED)
        _touch(ticket, ["status", "close_reason", *deadlines.SLA_FIELDS])
    return ticket
