"""What a customer has bought, and what it has used: plans, contracts, entitlements, the
support-hour ledger, quotes for paid work, paid-priority charges and bookings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiketti.accounts.models import Organisation, User
from tiketti.localized_names import LocalizedName


class Plan(LocalizedName):
    """A support tier (Basic, Standard, All-in-one)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    monthly_support_minutes = models.PositiveIntegerField(_("included support minutes a month"))
    hourly_rate = models.DecimalField(
        _("hourly rate for extra work"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    priority_credits = models.PositiveSmallIntegerField(
        _("priority tickets included free each month"), default=0
    )
    priority_price = models.DecimalField(
        _("price of a priority ticket beyond the included ones"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
    )
    on_call_phone = models.CharField(
        _("on-call phone number"),
        max_length=40,
        blank=True,
        help_text=_("Shown at once to customers who report an acute incident (site down)."),
    )

    class Meta:
        ordering = ["monthly_support_minutes", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")


class ContractQuerySet(models.QuerySet["Contract"]):
    def in_force(self, on: datetime.date) -> ContractQuerySet:
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )


class Contract(models.Model):
    """An organisation's support contract on one plan, for a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contracts"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="contracts")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_trial = models.BooleanField(_("trial"), default=False)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.plan}"


class Entitlement(LocalizedName):
    """Something a plan includes besides support hours: free training, a one-time
    installation, or whatever admins define."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        INSTALLATION = "installation", _("installation")
        OTHER = "other", _("other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    within_days = models.PositiveSmallIntegerField(
        _("only within the first days of the contract"),
        null=True,
        blank=True,
        help_text=_("Empty: any time during the contract. Trials are always eligible."),
    )
    once = models.BooleanField(_("only once per organisation"), default=False)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")

    def __str__(self) -> str:
        return f"{self.plan}: {self.localized_name()}"


class TimeEntry(models.Model):
    """Work logged on a ticket. Billable minutes use the month's included quota first."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="time_entries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_billable = models.BooleanField(_("billable"), default=True)
    # Minutes of this entry beyond the month's included quota: charged at the plan's rate,
    # only allowed under an approved quote.
    extra_minutes = models.PositiveIntegerField(default=0)
    quote = models.ForeignKey(
        "Quote", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    worked_at = models.DateTimeField(_("worked at"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-worked_at", "-pk"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [models.Index(fields=["organisation", "worked_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.minutes} min"


class QuotaNotice(models.Model):
    """A quota notice sent to an organisation for a month: each threshold once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "threshold"], name="quota_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m} {self.threshold} %"


class Quote(models.Model):
    """An offer for paid work. Work starts only after a main user approved it in writing."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("quote status", "waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Via(models.TextChoices):
        PORTAL = "portal", _("portal")
        EMAIL = "email", _("e-mail")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="quotes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="quotes")
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    description = models.TextField(_("work to be done"))
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=6, decimal_places=2)
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=8, decimal_places=2)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The written decision, recorded as it was made:
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_via = models.CharField(max_length=10, choices=Via.choices, blank=True)
    decided_from = models.CharField(_("from address"), max_length=254, blank=True)
    decided_text = models.TextField(_("text approved"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.reference

    def quote_text(self) -> str:
        """The exact text a decision is about; stored with the decision."""
        return (
            f"{self.reference}: {self.description}\n"
            f"{self.estimated_hours:.2f} h x {self.hourly_rate:.2f} = {self.price:.2f} "
            f"(valid until {self.valid_until.isoformat()})"
        )


class PriorityCharge(models.Model):
    """A ticket made a paid-priority ticket: an included credit used, or a price charged."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="priority_charge"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    used_credit = models.BooleanField(_("included credit"))
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("priority charge")
        verbose_name_plural = _("priority charges")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.price}"


class Booking(models.Model):
    """A training or installation session taken from an entitlement."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="bookings")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bookings"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    meeting_url = models.URLField(_("meeting link"), blank=True)
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.entitlement.name} {self.starts_at:%Y-%m-%d %H:%M}"
