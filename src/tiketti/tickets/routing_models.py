"""Routing rules, ideas and staff notices (re-exported by `tickets.models`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Language, Organisation, Team, User
from tiketti.localized_names import LocalizedName

from .request_kinds import Category


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
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.ticket_id}"
