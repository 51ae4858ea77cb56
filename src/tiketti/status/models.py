"""Incidents: what is broken, whom it affects, and what customers were told when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation
from tiketti.knowledge.models import Section
from tiketti.tickets.models import Ticket

LANGUAGES = ("en", "fi", "pl")


def in_language(row: models.Model, field: str, language: str | None = None) -> str:
    """`row.<field>_<language>`, English when that translation is empty."""
    language = language or translation.get_language() or "en"
    return str(getattr(row, f"{field}_{language}", "") or getattr(row, f"{field}_en"))


class IncidentQuerySet(models.QuerySet["Incident"]):
    def open(self) -> IncidentQuerySet:
        return self.exclude(state=Incident.State.RESOLVED)


class Incident(models.Model):
    """A technical problem customers are told about (MISSION R27)."""

    class State(models.TextChoices):
        INVESTIGATING = "investigating", _("investigating")
        IDENTIFIED = "identified", _("identified")
        MONITORING = "monitoring", _("monitoring")
        RESOLVED = "resolved", _("resolved")

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fi = models.CharField(_("title (Finnish)"), max_length=200, blank=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.INVESTIGATING
    )
    products = models.ManyToManyField(
        Section, verbose_name=_("affected products"), related_name="incidents", blank=True
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("affected organisations"),
        help_text=_("Leave empty when every customer is affected."),
        related_name="incidents",
        blank=True,
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # Breaches while the incident lasts are excused only when an admin says so, and who
    # and when is kept: reports read it, nobody infers it.
    is_sla_exempt = models.BooleanField(
        _("SLA breaches excused during the incident"), default=False
    )
    sla_exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("excused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sla_exempted_at = models.DateTimeField(_("excused at"), null=True, blank=True)
    # Claimed with a conditional UPDATE: each announcement goes out once, however many
    # workers or retries run it.
    start_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tickets = models.ManyToManyField(
        Ticket, through="IncidentTicket", related_name="incidents", blank=True
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["state", "-started_at"])]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def is_open(self) -> bool:
        return self.state != self.State.RESOLVED

    def affects(self, organisation_id: int | None) -> bool:
        ids = {organisation.pk for organisation in self.organisations.all()}
        return not ids or organisation_id in ids


class IncidentUpdate(models.Model):
    """What customers were told at one point, in three languages."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    state = models.CharField(_("state"), max_length=20, choices=Incident.State.choices)
    text_en = models.TextField(_("text (English)"))
    text_fi = models.TextField(_("text (Finnish)"), blank=True)
    text_pl = models.TextField(_("text (Polish)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.state}"

    def text_in(self, language: str | None = None) -> str:
        return in_language(self, "text", language)

    @property
    def text(self) -> str:
        return self.text_in()


class IncidentTicket(models.Model):
    """A ticket about an incident; answered together with the others when it is resolved."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="incident_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    # Set in the transaction that posts the reply: a ticket is answered once.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "ticket"], name="incident_ticket_once")
        ]
        indexes = [
            models.Index(
                fields=["incident"],
                condition=Q(answered_at__isnull=True),
                name="incident_ticket_unanswered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.ticket_id}"
