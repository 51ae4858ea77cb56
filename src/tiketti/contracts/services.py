"""Contract rules that other parts ask about: is this organisation a customer, what may
its contacts do, which plan applies."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tiketti.accounts.models import Organisation
from tiketti.reference_data import ReferenceData

from .models import Contract

# Contracts found in force, by (organisation id, day): intake asks for every request. Only
# contracts found are kept: a customer whose contract was just signed is never told, from
# a stale answer, that they have none.
_in_force: ReferenceData[dict[tuple[int, datetime.date], Contract]] = ReferenceData(
    dict, watch=("contracts.Contract", "contracts.Plan")
)


def contract_in_force(
    organisation: Organisation | None, on: datetime.date | None = None
) -> Contract | None:
    if organisation is None:
        return None
    day = on or timezone.localdate()
    known = _in_force.get()
    contract = known.get((organisation.pk, day))
    if contract is None:
        contract = (
            Contract.objects.in_force(day)
            .filter(organisation=organisation)
            .select_related("plan")
            .order_by("-starts_on")
            .first()
        )
        if contract is not None:
            known[organisation.pk, day] = contract
    return contract


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


def on_call_phone(organisation: Organisation | None) -> str:
    """The number a customer calls in an acute incident: their plan's, or "" when the
    plan names none (or there is no contract)."""
    contract = contract_in_force(organisation)
    return contract.plan.on_call_phone if contract is not None else ""
