"""Tickets, their messages, attachments and the append-only event log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiketti.accounts.models import Organisation, Team, User

# Re-exported: every model of the app can be imported from here.
from .request_kinds import LANGUAGES as LANGUAGES
from .request_kinds import Category as Category
from .request_kinds import CategoryField as CategoryField
from .request_kinds import FieldChoice as FieldChoice
from .request_kinds import Impact as Impact
from .request_kinds import ScopeAnswer as ScopeAnswer
from .request_kinds import Urgency as Urgency
from .request_kinds import in_language as in_language
from .routing_models import Idea as Idea
from .routing_models import RoutingRule as RoutingRule
from .routing_models import StaffNotice as StaffNotice


class TicketSequence(models.Model):
    """The last number handed out for a ticket prefix (one row per prefix)."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=1000)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last_value}"


@dataclass(frozen=True)
class Deadline:
    """One running SLA clock, for display."""

    clock: str
    due_at: datetime
    warn_at: datetime | None

    @property
    def label(self) -> str:
        return str(SLA_CLOCK_LABELS[self.clock])

    @property
    def state(self) -> str:
        """`overdue`, `soon` (past the warning point) or `ok`; a CSS class too."""
        now = timezone.now()
        if now >= self.due_at:
            return "overdue"
        if self.warn_at is not None and now >= self.warn_at:
            return "soon"
        return "ok"


SLA_CLOCK_LABELS = {
    "first_response": _("first response"),
    "next_response": _("next response"),
    "resolution": _("resolution"),
}


def running_clocks() -> dict[str, Q]:
    """Per SLA clock: the condition under which it is ticking."""
    return {
        "first_response": Q(first_responded_at__isnull=True),
        "next_response": Q(awaiting_response_since__isnull=False),
        "resolution": Q(sla_paused_at__isnull=True, resolved_at__isnull=True),
    }


def breaching_condition(*, overdue_only: bool = False) -> Q:
    """A running clock past its warning point (or, `overdue_only`, its due time)."""
    now = timezone.now()
    field = "due_at" if overdue_only else "warn_at"
    condition = Q()
    for clock, running in running_clocks().items():
        condition |= running & Q(**{f"{clock}_{field}__lte": now})
    return condition


def unresolved_condition() -> Q:
    """The condition of `TicketQuerySet.unresolved()`, for conditional counts."""
    return ~Q(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED]) & Q(held_reason="")


def held_condition() -> Q:
    """Held requests not yet decided (`held().active()`)."""
    return ~Q(held_reason="") & ~Q(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED])


class TicketQuerySet(models.QuerySet["Ticket"]):
    def active(self) -> TicketQuerySet:
        """Not solved or closed (held requests included)."""
        return self.exclude(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED])

    def unresolved(self) -> TicketQuerySet:
        """Tickets still to be worked on (held requests are not, until accepted)."""
        return self.active().filter(held_reason="")

    def held(self) -> TicketQuerySet:
        return self.exclude(held_reason="")

    def breaching(self, *, overdue_only: bool = False) -> TicketQuerySet:
        """Unresolved tickets with a running clock past its warning point (or its due time)."""
        return self.unresolved().filter(breaching_condition(overdue_only=overdue_only))

    def in_queue_order(self) -> TicketQuerySet:
        """The desk's default order: priority, then paid priority (MISSION R15), then the
        least SLA time left; matches the `ticket_queue_order` index."""
        return self.order_by(
            "-priority_rank",
            "-is_paid_priority",
            F("resolution_due_at").asc(nulls_last=True),
            "-updated_at",
        )


class CloseReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("out of scope")


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("open")
        WAITING = "waiting", _("waiting on customer")
        # The quote's own status has the same English words; in Finnish and Polish the
        # ticket's must say that a quote waits, beside "held: waiting for acceptance".
        WAITING_APPROVAL = (
            "waiting_approval",
            pgettext_lazy("ticket status", "waiting for approval"),
        )
        SOLVED = "solved", _("solved")
        CLOSED = "closed", _("closed")

    class Priority(models.TextChoices):
        LOW = "low", _("low")
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent")

    # The queue sorts by this number (stored: the sort uses an index); see `set_priority`.
    PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}

    class Channel(models.TextChoices):
        PORTAL = "portal", _("web form")
        EMAIL = "email", _("e-mail")
        API = "api", _("API")
        PHONE = "phone", _("phone")
        WIDGET = "widget", _("in-product button")
        THIRD_PARTY = "third_party", _("third-party form")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=250)
    requester = models.ForeignKey(
        User,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    cc = models.ManyToManyField(User, verbose_name=_("cc"), related_name="cc_tickets", blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        User,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        limit_choices_to=~Q(staff_role=""),
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    # Bumped by every change: forms carry it, so a stale edit is refused, not applied blindly.
    version = models.PositiveIntegerField(default=1)
    is_paid_priority = models.BooleanField(_("paid priority"), default=False)
    # Site down or under attack: on-call staff were told at once, the customer was given
    # the on-call phone number.
    is_acute = models.BooleanField(_("acute incident"), default=False)
    idea = models.ForeignKey(
        "Idea",
        verbose_name=_("development idea"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    priority_rank = models.PositiveSmallIntegerField(default=1, editable=False)
    impact = models.CharField(_("impact"), max_length=20, choices=Impact.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, blank=True)
    # The answers to the category's request form, keyed by field name (`CategoryField`).
    field_answers = models.JSONField(_("request-form answers"), default=dict, blank=True)
    close_reason = models.CharField(
        _("closed because"), max_length=20, choices=CloseReason.choices, blank=True
    )
    scope_answer = models.ForeignKey(
        ScopeAnswer,
        verbose_name=_("out-of-scope answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # SLA: the matched policy and, per clock, when it is due and when to warn. Stored so the
    # escalation sweep and the queue read them with plain indexed queries.
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy",
        verbose_name=_("SLA policy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_response_breached = models.BooleanField(null=True, blank=True)
    awaiting_response_since = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(_("next response due"), null=True, blank=True)
    next_response_warn_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    resolution_breached = models.BooleanField(null=True, blank=True)
    # The resolution clock stops while we wait for the customer (or the ticket is solved);
    # the time it stood still is added back when it runs again.
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveBigIntegerField(default=0)
    # How long each clock ran when it stopped, in the clock's own terms (open time of its
    # calendar, less pauses for resolution); what the reports' medians are read from.
    first_response_business_seconds = models.PositiveBigIntegerField(null=True, blank=True)
    resolution_business_seconds = models.PositiveBigIntegerField(null=True, blank=True)
    # Set when a customer sent personal identity codes (any channel: `tickets.intake`); by
    # e-mail, they are told once.
    personal_data_found_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention period emptied the ticket (`privacy.retention`).
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)
    # A request staff must accept first (an ordinary user's, where only main users may
    # file): kept out of the queue, unacknowledged, no SLA running until accepted.
    held_reason = models.CharField(_("held because"), max_length=40, blank=True)
    sla_started_at = models.DateTimeField(null=True, blank=True)
    # Set when this ticket was merged into another (`tickets.merging`): it is closed, and
    # its number keeps leading to the surviving ticket.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["organisation", "-updated_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["first_response_warn_at"]),
            models.Index(fields=["next_response_warn_at"]),
            models.Index(fields=["resolution_warn_at"]),
            # The reports' counts over a period by channel, organisation, category, team
            # and hour are read from this index alone, not from the wide ticket rows.
            models.Index(
                fields=["created_at", "held_reason", "channel", "organisation", "category", "team"],
                name="ticket_report_period",
            ),
            models.Index(
                F("priority_rank").desc(),
                F("is_paid_priority").desc(),
                # Ascending puts nulls last on PostgreSQL, as the queue sorts (SQLite
                # has no NULLS LAST in an index).
                F("resolution_due_at").asc(),
                name="ticket_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.subject}"

    def survivor(self) -> Ticket:
        """The ticket this one now lives on: itself, or where its merges lead."""
        ticket = self
        seen = {ticket.pk}
        while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
            seen.add(ticket.merged_into_id)
            ticket = Ticket.objects.get(pk=ticket.merged_into_id)
        return ticket

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def set_priority(self, priority: str) -> None:
        """Set the priority and the rank the queue sorts by (save both)."""
        self.priority = priority
        self.priority_rank = self.PRIORITY_RANK[self.Priority(priority)]

    def running_deadlines(self) -> list[Deadline]:
        """The SLA clocks that are ticking now, soonest first."""
        if self.status in (self.Status.SOLVED, self.Status.CLOSED):
            return []
        running = []
        if self.first_responded_at is None and self.first_response_due_at:
            running.append(
                Deadline("first_response", self.first_response_due_at, self.first_response_warn_at)
            )
        if self.awaiting_response_since is not None and self.next_response_due_at:
            running.append(
                Deadline("next_response", self.next_response_due_at, self.next_response_warn_at)
            )
        if self.sla_paused_at is None and self.resolved_at is None and self.resolution_due_at:
            running.append(Deadline("resolution", self.resolution_due_at, self.resolution_warn_at))
        return sorted(running, key=lambda deadline: deadline.due_at)

    @property
    def next_deadline(self) -> Deadline | None:
        running = self.running_deadlines()
        return running[0] if running else None

    @property
    def promised_answer_at(self) -> datetime | None:
        """When the customer was promised an answer, while they are waiting for one."""
        if self.status in (self.Status.SOLVED, self.Status.CLOSED):
            return None
        if self.first_responded_at is None:
            return self.first_response_due_at
        return self.next_response_due_at if self.awaiting_response_since else None


class PriorityMatrixEntry(models.Model):
    """Which priority an impact and an urgency make (admins edit the matrix)."""

    impact = models.CharField(_("impact"), max_length=20, choices=Impact.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Ticket.Priority.choices)

    class Meta:
        ordering = ["impact", "urgency"]
        verbose_name = _("priority matrix entry")
        verbose_name_plural = _("priority matrix")
        constraints = [
            models.UniqueConstraint(fields=["impact", "urgency"], name="priority_matrix_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_impact_display()} × {self.get_urgency_display()}"


class Message(models.Model):
    """One entry in a ticket's thread: a public reply or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    is_internal = models.BooleanField(_("internal note"), default=False)
    body_text = models.TextField(_("text"))
    # Already sanitized (nh3) when stored; never trusted from input as is.
    body_html = models.TextField(_("formatted text"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Ticket.Channel.choices)
    # RFC 5322 Message-ID of the mail this message came in as or went out as (threading).
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    # An e-mail reply stored without its quoted history (and our "reply above this line"
    # marker); the whole e-mail is its InboundMessage, one click away in the thread.
    quote_removed = models.BooleanField(_("quoted part left out"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            # The reports count replies per author in a period (read from the index alone).
            models.Index(fields=["created_at", "author", "is_internal"], name="message_by_day"),
        ]
        constraints = [
            # One e-mail becomes one message, however often it is delivered.
            models.UniqueConstraint(
                fields=["message_id"], condition=~Q(message_id=""), name="message_id_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number} #{self.pk}"

    @property
    def is_from_staff(self) -> bool:
        return self.author.is_agent

    @property
    def source_label(self) -> str:
        """Who wrote the message and how, for the thread: "support, by e-mail". Empty for
        internal notes, which carry their own badge."""
        if self.is_internal:
            return ""
        side = "staff" if self.is_from_staff else "customer"
        label = MESSAGE_SOURCE_LABELS.get((side, self.channel))
        return str(label) if label else self.get_channel_display()


# Agents write their replies in the desk (stored with the portal channel: the web).
MESSAGE_SOURCE_LABELS: dict[tuple[str, str], str | Promise] = {
    ("staff", Ticket.Channel.PORTAL): _("reply from support"),
    ("staff", Ticket.Channel.EMAIL): _("support, by e-mail"),
    ("staff", Ticket.Channel.API): _("support, through the API"),
    ("staff", Ticket.Channel.PHONE): _("phone call, logged by support"),
    ("customer", Ticket.Channel.PORTAL): _("customer, in the portal"),
    ("customer", Ticket.Channel.EMAIL): _("customer, by e-mail"),
    ("customer", Ticket.Channel.API): _("customer, through the API"),
    ("customer", Ticket.Channel.PHONE): _("customer, by phone"),
    ("customer", Ticket.Channel.WIDGET): _("customer, with the in-product button"),
    ("customer", Ticket.Channel.THIRD_PARTY): _(
        "acting for the customer, with the third-party form"
    ),
}


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder per file: names stay readable, never collide, never guessable.
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Attachment(models.Model):
    # In every download URL instead of the sequential id, which would tell how many files
    # the helpdesk holds and invite guessing.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Empty for a blocked file (`blocked_type` set): its bytes are never stored.
    file = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    content_id = models.CharField(max_length=250, blank=True)
    # Mail brought a file of a type the file type policy blocks: the message keeps its
    # name and this, nobody can download it (the original e-mail is for admins only).
    blocked_type = models.CharField(_("blocked as"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked_type)


DEFAULT_BLOCKED_EXTENSIONS = (
    "exe com scr pif bat cmd js jse vbs vbe wsf wsh hta msi msp cpl lnk reg ps1 jar dll"
)
DEFAULT_BLOCKED_TYPES = (
    "application/x-msdownload application/x-executable application/x-shockwave-flash "
    "application/x-google-chrome-extension application/wasm"
)


class FileTypePolicy(models.Model):
    """Which files customers and staff may attach: a support policy admins edit. One row;
    without it the defaults apply. Read by `tickets.attachments.file_type_refusal`."""

    blocked_extensions = models.TextField(
        _("blocked file name extensions"),
        default=DEFAULT_BLOCKED_EXTENSIONS,
        blank=True,
        help_text=_("Separated by spaces or commas, without dots, e.g. “exe bat js”."),
    )
    blocked_types = models.TextField(
        _("blocked file types"),
        default=DEFAULT_BLOCKED_TYPES,
        blank=True,
        help_text=_(
            "MIME types, separated by spaces or commas, e.g. “application/x-msdownload”. "
            "The type is recognised from the file's content, whatever its name says."
        ),
    )
    allowed_extensions = models.TextField(
        _("allowed file name extensions"),
        blank=True,
        help_text=_(
            "Leave empty to accept every file that is not blocked. When filled, only these "
            "are accepted (by name, and by content where the content is recognised)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("file type policy")
        verbose_name_plural = _("file type policy")

    def __str__(self) -> str:
        return str(_("file type policy"))


class TicketEvent(models.Model):
    """Append-only history: who changed what, when, from which value to which."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        MESSAGE = "message", _("public reply")
        NOTE = "note", _("internal note")
        STATUS = "status", _("status changed")
        ASSIGNEE = "assignee", _("assignee changed")
        TEAM = "team", _("team changed")
        CATEGORY = "category", _("category changed")
        PRIORITY = "priority", _("priority changed")
        ATTACHMENT = "attachment", _("attachment added")
        SLA = "sla", _("SLA")
        REDACTED = "redacted", _("personal data removed")
        ACCEPTED = "accepted", _("held request accepted")
        DECLINED = "declined", _("held request declined")
        QUOTE = "quote", _("quote for paid work")
        TIME = "time", _("time logged")
        MAIL_HELD_BACK = "mail_held_back", _("automatic e-mail not sent (hourly limit)")
        MAIL_RETRIED = "mail_retried", _("e-mail sent again after an interrupted attempt")
        ROUTED = "routed", _("routed by a rule")
        ACUTE = "acute", _("acute incident")
        IDEA = "idea", _("linked to a development idea")
        FIELD_ANSWER = "field_answer", _("request-form answer changed")
        IMPACT = "impact", _("impact changed")
        URGENCY = "urgency", _("urgency changed")
        OUT_OF_SCOPE = "out_of_scope", _("answered as out of scope")
        MACRO = "macro", _("macro applied")
        ATTACHMENT_BLOCKED = "attachment_blocked", _("attachment blocked (file type)")
        MERGED_INTO = "merged_into", _("merged into another ticket")
        MERGED_FROM = "merged_from", _("another ticket merged into this one")
        SPLIT_OFF = "split_off", _("messages split off into a new ticket")
        SPLIT_FROM = "split_from", _("split off from another ticket")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_value = models.CharField(max_length=250, blank=True)
    new_value = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}: {self.old_value} → {self.new_value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Ticket events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Ticket events are append-only; they cannot be deleted.")


def max_attachment_bytes() -> int:
    return int(settings.TIKETTI_MAX_ATTACHMENT_BYTES)


class SlaAlert(models.Model):
    """A warning or breach that fired for one clock of a ticket. The unique constraint is
    the claim: however many workers sweep, each alert fires once per deadline."""

    class Clock(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("first response")
        NEXT_RESPONSE = "next_response", _("next response")
        RESOLUTION = "resolution", _("resolution")

    class Kind(models.TextChoices):
        WARNING = "warning", _("due soon")
        BREACH = "breach", _("overdue")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_alerts")
    clock = models.CharField(max_length=20, choices=Clock.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "clock", "kind", "due_at"], name="sla_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.clock} {self.kind}"


class TicketSearchDocument(models.Model):
    """A ticket's words for the desk's full-text search: its subject and every message
    (notes included: only staff search), normalised as the help center's (`tiketti.fulltext`).
    Indexed by an FTS5 table on SQLite, a GIN-indexed tsvector on PostgreSQL; kept apart from
    the ticket row so the queue never reads it."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="search_document", primary_key=True
    )
    terms = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.ticket_id}"


class ThreadId(models.Model):
    """Every RFC 5322 Message-ID known to belong to a ticket's conversation, received or
    sent: a reply's In-Reply-To/References find its ticket here."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="thread_ids")
    message_id = models.CharField(max_length=250, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.message_id
