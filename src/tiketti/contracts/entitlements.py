"""Which entitlements (free training, a one-time installation, …) an organisation may book.

The rules, in one place:

- the organisation needs a contract in force on the day;
- an entitlement with `within_days` is offered during the first `within_days` days of that
  contract, counting its start day as day one; a *trial* contract is always eligible for
  training entitlements (that is what a trial is for);
- a `once` entitlement that the organisation has booked (and not cancelled) is used up.

Eligibility is decided on the day of booking; the session itself may fall after the window.
"""

from __future__ import annotations

import datetime

from tiketti.accounts.models import Organisation

from .models import Booking, Contract, Entitlement
from .services import contract_in_force


def eligible_entitlements(organisation: Organisation, on: datetime.date) -> list[Entitlement]:
    """The entitlements `organisation` may book on day `on`, in a stable order."""
    contract = contract_in_force(organisation, on)
    if contract is None:
        return []
    used = used_once_entitlement_ids(organisation)
    return [
        entitlement
        for entitlement in contract.plan.entitlements.order_by("kind", "name", "pk")
        if entitlement.pk not in used and is_within_window(entitlement, contract, on)
    ]


def is_eligible(entitlement: Entitlement, organisation: Organisation, on: datetime.date) -> bool:
    """Whether `organisation` may book `entitlement` on day `on`."""
    return any(item.pk == entitlement.pk for item in eligible_entitlements(organisation, on))


def is_within_window(entitlement: Entitlement, contract: Contract, on: datetime.date) -> bool:
    """Whether day `on` lies in the entitlement's window of `contract` (pure)."""
    if entitlement.within_days is None:
        return True
    if contract.is_trial and entitlement.kind == Entitlement.Kind.TRAINING:
        return True
    return 0 <= (on - contract.starts_on).days < entitlement.within_days


def used_once_entitlement_ids(organisation: Organisation) -> set[int]:
    """Ids of the organisation's `once` entitlements that a live booking has used up."""
    booked = Booking.objects.filter(
        organisation=organisation, is_cancelled=False, entitlement__once=True
    )
    return set(booked.values_list("entitlement_id", flat=True))
