"""Contracts test data, created explicitly: a test never relies on the factories' default
contract."""

import datetime
from decimal import Decimal

import pytest

from tiketti.contracts.models import Contract, Entitlement, Plan

HELSINKI = datetime.timezone(datetime.timedelta(hours=2))  # winter time, for literals


def give_contract(organisation, plan, starts_on, *, is_trial=False, ends_on=None):
    """Make `plan` the organisation's only contract."""
    organisation.contracts.all().delete()
    return Contract.objects.create(
        organisation=organisation,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        is_trial=is_trial,
    )


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        name="Test plan",
        monthly_support_minutes=120,
        hourly_rate=Decimal("85.00"),
        priority_credits=1,
        priority_price=Decimal("49.00"),
    )


@pytest.fixture
def training(plan):
    return Entitlement.objects.create(
        plan=plan,
        kind=Entitlement.Kind.TRAINING,
        name="Video training",
        duration_minutes=60,
        within_days=30,
        once=True,
    )


@pytest.fixture
def installation(plan):
    return Entitlement.objects.create(
        plan=plan,
        kind=Entitlement.Kind.INSTALLATION,
        name="Installation of the client panel",
        duration_minutes=120,
        once=True,
    )
