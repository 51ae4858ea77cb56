"""Business calendars and SLA policies: data that admins edit.

Policies match tickets by plain values (plan names, priorities, category codes, paid
priority) so this app depends on no other: `tickets` asks it which policy applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiketti.localized_names import LocalizedName
from tiketti.reference_data import ReferenceData

from .calendar import BusinessCalendar as CalendarValue
from .calendar import CalendarError, parse_target


class BusinessCalendar(models.Model):
    """Opening hours, holidays and exceptions, stored in the public calendar JSON form."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    definition = models.JSONField(
        _("definition"),
        help_text=_(
            'Calendar JSON: {"tz": "Europe/Helsinki", "hours": {"mon": ["09:00-16:00"]}, '
            '"holidays": ["FI"], "closed": [], "open": []}'
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            CalendarValue.from_json(self.definition)
        except CalendarError as error:
            raise ValidationError({"definition": str(error)}) from None

    def to_value(self) -> CalendarValue:
        return CalendarValue.from_json(self.definition)


def validate_target(value: str) -> None:
    try:
        parse_target(value)
    except CalendarError as error:
        raise ValidationError(str(error)) from None


@dataclass(frozen=True)
class TicketFacts:
    """What a policy can match on, as plain values."""

    plan: str
    priority: str
    category: str
    is_paid_priority: bool


def _empty_list() -> list[str]:
    return []


class SlaPolicy(LocalizedName):
    """Response-time promises for the tickets it matches; the first match wins."""

    CALENDAR_FIELDS = (
        "first_response_calendar",
        "next_response_calendar",
        "resolution_calendar",
    )

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    plans = models.JSONField(
        _("plans"), default=_empty_list, blank=True, help_text=_("Plan names; empty: any plan.")
    )
    priorities = models.JSONField(
        _("priorities"), default=_empty_list, blank=True, help_text=_("Empty: any priority.")
    )
    categories = models.JSONField(
        _("categories"), default=_empty_list, blank=True, help_text=_("Category codes; empty: any.")
    )
    paid_priority = models.BooleanField(
        _("paid priority"),
        null=True,
        blank=True,
        help_text=_("Yes: only paid-priority tickets; no: only others; empty: both."),
    )
    first_response_target = models.CharField(
        _("first response target"), max_length=30, blank=True, validators=[validate_target]
    )
    first_response_calendar = models.ForeignKey(
        BusinessCalendar,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("first response calendar"),
    )
    next_response_target = models.CharField(
        _("next response target"), max_length=30, blank=True, validators=[validate_target]
    )
    next_response_calendar = models.ForeignKey(
        BusinessCalendar,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("next response calendar"),
    )
    resolution_target = models.CharField(
        _("resolution target"), max_length=30, blank=True, validators=[validate_target]
    )
    resolution_calendar = models.ForeignKey(
        BusinessCalendar,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("resolution calendar"),
    )
    warn_at_percent = models.PositiveSmallIntegerField(
        _("warning point (percent of the target)"), default=75
    )
    raise_priority_on_breach = models.BooleanField(_("raise priority on breach"), default=True)
    reassign_to_lead_on_breach = models.BooleanField(
        _("reassign to the team lead on breach"), default=False
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def clean(self) -> None:
        errors = {}
        for clock in ("first_response", "next_response", "resolution"):
            if getattr(self, f"{clock}_target") and getattr(self, f"{clock}_calendar_id") is None:
                errors[f"{clock}_calendar"] = _("A target needs a calendar.")
        if not 1 <= self.warn_at_percent <= 99:
            errors["warn_at_percent"] = _("Between 1 and 99.")
        if errors:
            raise ValidationError(errors)

    def matches(self, facts: TicketFacts) -> bool:
        return (
            _allows(self.plans, facts.plan)
            and _allows(self.priorities, facts.priority)
            and _allows(self.categories, facts.category)
            and (self.paid_priority is None or self.paid_priority == facts.is_paid_priority)
        )

    def clock(self, name: str) -> tuple[str, CalendarValue] | None:
        """The target text and calendar of one clock, or None if the policy sets none."""
        target = getattr(self, f"{name}_target")
        calendar: BusinessCalendar | None = getattr(self, f"{name}_calendar")
        if not target or calendar is None:
            return None
        return target, calendar.to_value()


def _allows(allowed: Sequence[Any], value: str) -> bool:
    return not allowed or value in allowed


def _load_active_policies() -> tuple[SlaPolicy, ...]:
    active = SlaPolicy.objects.filter(is_active=True)
    return tuple(active.select_related(*SlaPolicy.CALENDAR_FIELDS))


# Every new ticket is matched against the policies; admins rarely change them.
active_policies = ReferenceData(
    _load_active_policies, watch=("sla.SlaPolicy", "sla.BusinessCalendar")
)


def matching_policy(facts: TicketFacts) -> SlaPolicy | None:
    """The first active policy, in the admins' order, whose conditions all hold."""
    return next((policy for policy in active_policies.get() if policy.matches(facts)), None)
