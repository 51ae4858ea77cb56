"""Reference data kept in memory: read once, forgotten on a change, never stale for long."""

import datetime
from decimal import Decimal

import pytest

from tiketti import reference_data
from tiketti.contracts.models import Contract, Plan
from tiketti.contracts.services import contract_in_force
from tiketti.mail.models import Mailbox
from tiketti.sla.models import SlaPolicy, TicketFacts, matching_policy

loads: list[int] = []


def _load() -> int:
    loads.append(1)
    return Mailbox.objects.count()


mailbox_count = reference_data.ReferenceData(_load, watch=("mail.Mailbox",), ttl=30)


class Clock:
    def __init__(self, monkeypatch):
        self.now = 1000.0
        monkeypatch.setattr(reference_data.time, "monotonic", lambda: self.now)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.mark.django_db
def test_read_once_then_kept_until_the_ttl_runs_out(clock):
    loads.clear()
    assert mailbox_count.get() == 0
    Mailbox.objects.bulk_create([Mailbox(name="Other", address="other@x.example")])  # no signal
    clock.now += 29
    assert mailbox_count.get() == 0 and len(loads) == 1  # kept: another process's change
    clock.now += 2
    assert mailbox_count.get() == 1 and len(loads) == 2  # seen once the ttl has run out


@pytest.mark.django_db
def test_a_change_saved_in_this_process_is_seen_at_once(clock):
    assert mailbox_count.get() == 0
    mailbox = Mailbox.objects.create(name="Support", address="support@x.example")
    assert mailbox_count.get() == 1
    mailbox.delete()
    assert mailbox_count.get() == 0


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        name="Gold", monthly_support_minutes=120, hourly_rate=Decimal("85.00")
    )


def test_a_contract_signed_anywhere_or_ended_here_is_seen_at_once(organisation, plan, clock):
    organisation.contracts.all().delete()
    today = datetime.date(2026, 12, 1)
    assert contract_in_force(organisation, today) is None
    # Signed in another process (bulk_create sends no signal): "none" was never kept.
    Contract.objects.bulk_create(
        [Contract(organisation=organisation, plan=plan, starts_on=datetime.date(2026, 1, 1))]
    )
    contract = contract_in_force(organisation, today)
    assert contract is not None and contract.plan == plan
    contract.ends_on = datetime.date(2026, 11, 30)
    contract.save()
    assert contract_in_force(organisation, today) is None


def test_a_contract_changed_elsewhere_is_seen_within_the_ttl(organisation, plan, clock):
    organisation.contracts.all().delete()
    today = datetime.date(2026, 12, 1)
    contract = Contract.objects.create(
        organisation=organisation, plan=plan, starts_on=datetime.date(2026, 1, 1)
    )
    assert contract_in_force(organisation, today) == contract
    Contract.objects.filter(pk=contract.pk).update(ends_on=datetime.date(2026, 11, 1))
    assert contract_in_force(organisation, today) == contract  # another process's edit
    clock.now += reference_data.DEFAULT_TTL + 1
    assert contract_in_force(organisation, today) is None


@pytest.mark.django_db
def test_policies_are_matched_from_memory_and_a_new_one_counts_at_once(clock):
    SlaPolicy.objects.all().delete()
    facts = TicketFacts(plan="Gold", priority="high", category="", is_paid_priority=False)
    assert matching_policy(facts) is None
    policy = SlaPolicy.objects.create(name="Gold high", plans=["Gold"], priorities=["high"])
    assert matching_policy(facts) == policy
    policy.is_active = False
    policy.save()
    assert matching_policy(facts) is None
