"""Plans and contracts: what a customer has bought.

This is the minimum the foundation needs (which plan an organisation is on); quotas,
entitlements and paid work build on it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation


class Plan(models.Model):
    """A support tier (Basic, Standard, All-in-one)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    monthly_support_minutes = models.PositiveIntegerField(_("included support minutes a month"))
    hourly_rate = models.DecimalField(
        _("hourly rate for extra work"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    priority_credits = models.PositiveSmallIntegerField(
        _("paid-priority tickets included a month"), default=0
    )

    class Meta:
        ordering = ["monthly_support_minutes", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


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
