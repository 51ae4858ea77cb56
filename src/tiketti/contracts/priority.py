"""Paid priority (MISSION R15): a main user may make a request a priority ticket. The
month's included credits are used first; after that it costs the plan's price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User
from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Ticket

from .models import PriorityCharge
from .services import contract_in_force
from .timetracking import month_bounds, month_of


@dataclass(frozen=True)
class PriorityOffer:
    credits_left: int
    price: Decimal

    @property
    def is_free(self) -> bool:
        return self.credits_left > 0


def priority_offer(organisation: Organisation) -> PriorityOffer | None:
    """What a priority ticket costs this organisation now; None without a contract."""
    contract = contract_in_force(organisation)
    if contract is None:
        return None
    start, end = month_bounds(month_of(timezone.now(), organisation), organisation)
    used = PriorityCharge.objects.filter(
        organisation=organisation, used_credit=True, created_at__gte=start, created_at__lt=end
    ).count()
    plan = contract.plan
    return PriorityOffer(max(0, plan.priority_credits - used), plan.priority_price)


def charge_priority(*, ticket: Ticket, confirmed_by: User) -> PriorityCharge:
    """Record the credit used or the price charged (the filer confirmed it)."""
    organisation = ticket.organisation
    offer = priority_offer(organisation) if organisation else None
    if organisation is None or offer is None or not confirmed_by.is_main_user:
        raise TicketError(
            _("Only main users of a customer organisation can file priority tickets."),
            code="priority_not_allowed",
        )
    return PriorityCharge.objects.create(
        ticket=ticket,
        organisation=organisation,
        used_credit=offer.is_free,
        price=Decimal("0") if offer.is_free else offer.price,
        confirmed_by=confirmed_by,
    )
