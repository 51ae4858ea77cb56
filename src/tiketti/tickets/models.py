"""Tickets, their messages, attachments and the append-only event log."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation, Team, User


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


class TicketSequence(models.Model):
    """The last number handed out for a ticket prefix (one row per prefix)."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=1000)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last_value}"


class TicketQuerySet(models.QuerySet["Ticket"]):
    def unresolved(self) -> TicketQuerySet:
        return self.exclude(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED])

    def search(self, text: str) -> TicketQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(number__iexact=text) | Q(subject__icontains=text))


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("open")
        WAITING = "waiting", _("waiting on customer")
        SOLVED = "solved", _("solved")
        CLOSED = "closed", _("closed")

    class Priority(models.TextChoices):
        LOW = "low", _("low")
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent")

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

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["organisation", "-updated_at"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


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
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.ticket.number} #{self.pk}"

    @property
    def is_from_staff(self) -> bool:
        return self.author.is_agent


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder per file: names stay readable, never collide, never guessable.
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


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
