"""The customer panel on a desk ticket (MISSION R25): who this customer is, what they
have bought, who knows them and what is special about their setup."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tiketti.accounts.models import Organisation, User
from tiketti.contracts.models import Plan
from tiketti.contracts.services import contract_in_force
from tiketti.contracts.timetracking import Usage, month_of, month_usage
from tiketti.tickets.models import Ticket

OPEN_TICKETS_SHOWN = 10


@dataclass(frozen=True)
class CustomerPanel:
    organisation: Organisation
    plan: Plan | None
    usage: Usage
    open_tickets: list[Ticket]
    open_ticket_count: int
    expert: User | None
    account_manager: User | None

    @property
    def setup_notes(self) -> str:
        return self.organisation.notes


def customer_panel(ticket: Ticket) -> CustomerPanel | None:
    """The panel for the ticket's organisation; None for a ticket without one."""
    if ticket.organisation_id is None:
        return None
    organisation = Organisation.objects.select_related("expert", "account_manager").get(
        pk=ticket.organisation_id
    )
    contract = contract_in_force(organisation)
    others = (
        Ticket.objects.filter(organisation=organisation)
        .unresolved()
        .exclude(pk=ticket.pk)
        .order_by("-updated_at")
    )
    shown = list(others.only("number", "subject", "status", "updated_at")[:OPEN_TICKETS_SHOWN])
    count = others.count()
    return CustomerPanel(
        organisation=organisation,
        plan=contract.plan if contract else None,
        usage=month_usage(organisation, month_of(timezone.now(), organisation)),
        open_tickets=shown,
        open_ticket_count=count,
        expert=organisation.expert,
        account_manager=organisation.account_manager,
    )
