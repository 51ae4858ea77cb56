"""Contract rules that other parts ask about: is this organisation a customer, what may
its contacts do, which plan applies."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tiketti.accounts.models import Organisation

from .models import Contract


def contract_in_force(
    organisation: Organisation | None, on: datetime.date | None = None
) -> Contract | None:
    if organisation is None:
        return None
    day = on or timezone.localdate()
    return (
        Contract.objects.in_force(day)
        .filter(organisation=organisation)
        .select_related("plan")
        .order_by("-starts_on")
        .first()
    )


def contract_for_month(organisation: Organisation, month: datetime.date) -> Contract | None:
    """The contract that covers (part of) a calendar month: the latest one starting
    before the month ends and not ended before it began."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (
        Contract.objects.filter(organisation=organisation, starts_on__lt=following)
        .exclude(ends_on__lt=month)
        .select_related("plan")
        .order_by("-starts_on")
        .first()
    )
