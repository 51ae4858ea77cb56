"""Tickets, their messages, attachments and the append-only event log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiketti.accounts.models import Language, Organisation, Team, User
from tiketti.localized_names import LocalizedName


class Category(models.Model):
    """What a request is about; decides the team it is routed to."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100, blank=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=100, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_active = models.BooleanField(_("offered to customers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_fi = models.TextField(_("help text (Finnish)"), blank=True)
    help_pl = models.TextField(_("help text (Polish)"), blank=True)
    # Requests of this kind are outside the support contract (MISSION R11): they are
    # answered with `scope_answer` and closed at once.
    is_out_of_scope = models.BooleanField(_("out of scope"), default=False)
    scope_answer = models.ForeignKey(
        "tickets.ScopeAnswer",
        verbose_name=_("out-of-scope answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Handling(models.TextChoices):
        NORMAL = "normal", _("a normal support request")
        IDEA = "idea", _("a development idea (goes to the idea list)")
        ADMINISTRATIVE = (
            "administrative",
            _("an administrative matter (goes to the organisation's account manager)"),
        )

    handling = models.CharField(
        _("handling"), max_length=20, choices=Handling.choices, default=Handling.NORMAL
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, English when it has no translation."""
        localized = getattr(self, f"name_{translation.get_language() or 'en'}", "")
        return str(localized or self.name_en)

    @property
    def help_text(self) -> str:
        return in_language(self, "help", translation.get_language())

    def clean(self) -> None:
        if self.is_out_of_scope and self.scope_answer_id is None:
            raise ValidationError(
                {"scope_answer": _("Choose the answer that requests of this kind get.")}
            )


def in_language(item: object, prefix: str, language: str | None) -> str:
    """`item.<prefix>_<language>`, English when that is empty (fi/pl/en columns)."""
    localized = getattr(item, f"{prefix}_{language or 'en'}", "") or ""
    return str(localized or getattr(item, f"{prefix}_en", ""))


class ScopeAnswer(models.Model):
    """An admin-written answer to a request outside the support contract (template look,
    data operations, the customer's own end-customers or computers, new features)."""

    title_en = models.CharField(_("title (English)"), max_length=150)
    title_fi = models.CharField(_("title (Finnish)"), max_length=150, blank=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=150, blank=True)
    text_en = models.TextField(_("answer (English)"))
    text_fi = models.TextField(_("answer (Finnish)"), blank=True)
    text_pl = models.TextField(_("answer (Polish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("out-of-scope answer")
        verbose_name_plural = _("out-of-scope answers")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title", translation.get_language())

    def text_for(self, language: str) -> str:
        """The answer in `language` (a requester's), English when it has no translation."""
        return in_language(self, "text", language)


class CategoryField(models.Model):
    """One question on a category's request form. Answers are stored on the ticket under
    `name` (`Ticket.field_answers`) and validated by the intake service."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("choice")
        MULTI_CHOICE = "multi_choice", _("multiple choice")
        URL = "url", _("web address")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        FILE = "file", _("file")

    class Prefill(models.TextChoices):
        NONE = "", _("nothing")
        OPERATING_SYSTEM = "operating_system", _("operating system (from the browser)")
        BROWSER = "browser", _("browser (from the browser)")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="form_fields"
    )
    name = models.SlugField(
        _("code"), max_length=50, help_text=_("The key the answer is stored and sent under.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    is_required = models.BooleanField(_("required"), default=False)
    label_en = models.CharField(_("question (English)"), max_length=200)
    label_fi = models.CharField(_("question (Finnish)"), max_length=200, blank=True)
    label_pl = models.CharField(_("question (Polish)"), max_length=200, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    help_fi = models.CharField(_("help text (Finnish)"), max_length=300, blank=True)
    help_pl = models.CharField(_("help text (Polish)"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "For choice fields, one a line: code | English | Finnish | Polish, "
            "e.g. “windows | Windows | Windows | Windows”."
        ),
    )
    prefill = models.CharField(
        _("pre-fill with"), max_length=20, choices=Prefill.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("request-form field")
        verbose_name_plural = _("request-form fields")
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="category_field_once")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.name}"

    @property
    def label(self) -> str:
        return in_language(self, "label", translation.get_language())

    @property
    def help_text(self) -> str:
        return in_language(self, "help", translation.get_language())

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.CHOICE, self.Kind.MULTI_CHOICE)

    def parsed_choices(self) -> list[FieldChoice]:
        """The choices as written (`code | English | Finnish | Polish` a line)."""
        parsed = []
        for line in self.choices.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            en, fi, pl = [*parts[1:], "", "", ""][:3]
            parsed.append(FieldChoice(parts[0], en or parts[0], fi, pl))
        return parsed

    def clean(self) -> None:
        if self.has_choices and not self.parsed_choices():
            raise ValidationError({"choices": _("Give at least one choice.")})
        values = [choice.value for choice in self.parsed_choices()]
        if len(values) != len(set(values)):
            raise ValidationError({"choices": _("Each choice needs a code of its own.")})


@dataclass(frozen=True)
class FieldChoice:
    value: str
    label_en: str
    label_fi: str = ""
    label_pl: str = ""

    @property
    def label(self) -> str:
        return in_language(self, "label", translation.get_language())

    def labels(self) -> dict[str, str]:
        return {language: in_language(self, "label", language) for language in LANGUAGES}


LANGUAGES = ("en", "fi", "pl")


class Impact(models.TextChoices):
    """How much of the customer's use a problem blocks, in their words."""

    BLOCKS_ALL = "blocks_all", _("I cannot use the system at all")
    BLOCKS_PART = "blocks_part", _("Part of the system does not work")
    NO_BLOCK = "no_block", _("I can work normally")


class Urgency(models.TextChoices):
    """How soon the customer needs it, in their words."""

    HIGH = "high", _("Right away: it is stopping work now")
    MEDIUM = "medium", _("Within a few days")
    LOW = "low", _("There is no hurry")


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


class RoutingRule(LocalizedName):
    """Who gets a new request: its conditions (all that are set must hold) and what it
    gives. Rules are read in `position` order; for each of category, team and assignee
    the first matching rule that gives one wins (`tickets.routing`)."""

    class Assign(models.TextChoices):
        NOBODY = "", _("nobody (the team's queue)")
        PERSON = "person", _("the person chosen below")
        EXPERT = "expert", _("the organisation's own expert")
        ACCOUNT_MANAGER = "account_manager", _("the organisation's account manager")

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Conditions
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="+"
    )
    handling = models.CharField(
        _("category handling"), max_length=20, choices=Category.Handling.choices, blank=True
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="+"
    )
    mailboxes = models.ManyToManyField(
        "mail.Mailbox",
        verbose_name=_("arrived at mailboxes"),
        blank=True,
        related_name="+",
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "One word or phrase a line; any of them in the subject or text matches. "
            "Inflected forms match too (salasana, salasanan)."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    # What it gives
    set_category = models.ForeignKey(
        Category,
        verbose_name=_("give the category (when the request has none)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("give to the team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    assign = models.CharField(
        _("assign to"), max_length=20, choices=Assign.choices, blank=True, default=""
    )
    assignee = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=~Q(staff_role=""),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")


class Idea(models.Model):
    """A development idea customers asked for (MISSION R28). Each ticket linked to it is
    a request; the organisations of those tickets are its votes."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        EVALUATING = "evaluating", _("under evaluation")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        DECLINED = "declined", _("declined")

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("development idea")
        verbose_name_plural = _("development ideas")

    def __str__(self) -> str:
        return self.title


class StaffNotice(models.Model):
    """One thing a staff member was told about a ticket, shown in the desk's header
    (whether or not it also went by e-mail)."""

    class Kind(models.TextChoices):
        NEW_TICKET = "new_ticket", _("new ticket for your team")
        ASSIGNED = "assigned", _("ticket assigned to you")
        CUSTOMER_REPLY = "customer_reply", _("the customer replied")
        ACUTE = "acute", _("acute incident")

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_notices")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.ticket_id}"
