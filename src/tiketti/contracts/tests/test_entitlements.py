import datetime

import pytest

from tiketti.contracts.entitlements import eligible_entitlements, is_within_window
from tiketti.contracts.models import Booking, Contract, Entitlement

from .conftest import HELSINKI, give_contract

START = datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2026, 10, 31), False),  # before the contract
        (START, True),  # day one
        (datetime.date(2026, 11, 30), True),  # day thirty
        (datetime.date(2026, 12, 1), False),  # day thirty-one
    ],
)
def test_window_counts_the_contracts_first_days(on, expected):
    entitlement = Entitlement(kind=Entitlement.Kind.TRAINING, within_days=30)
    contract = Contract(starts_on=START, is_trial=False)
    assert is_within_window(entitlement, contract, on) is expected


def test_without_a_window_the_whole_contract_is_eligible():
    entitlement = Entitlement(kind=Entitlement.Kind.INSTALLATION, within_days=None)
    contract = Contract(starts_on=START)
    assert is_within_window(entitlement, contract, datetime.date(2029, 1, 1))


def test_trials_are_eligible_for_training_after_the_window_but_not_for_other_kinds():
    trial = Contract(starts_on=START, is_trial=True)
    later = datetime.date(2027, 6, 1)
    training = Entitlement(kind=Entitlement.Kind.TRAINING, within_days=30)
    other = Entitlement(kind=Entitlement.Kind.OTHER, within_days=30)
    assert is_within_window(training, trial, later)
    assert not is_within_window(other, trial, later)


def test_organisation_without_a_contract_has_no_entitlements(organisation, training):
    organisation.contracts.all().delete()
    assert eligible_entitlements(organisation, START) == []


def test_ended_contract_gives_no_entitlements(organisation, plan, training, installation):
    give_contract(organisation, plan, START, ends_on=datetime.date(2026, 11, 10))
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 11)) == []


def test_window_decides_which_entitlements_are_offered(organisation, plan, training, installation):
    give_contract(organisation, plan, START)
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 20)) == [
        installation,
        training,
    ]
    assert eligible_entitlements(organisation, datetime.date(2026, 12, 1)) == [installation]


def test_trial_contract_keeps_training_on_offer(organisation, plan, training):
    give_contract(organisation, plan, datetime.date(2026, 1, 1), is_trial=True)
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 20)) == [training]


def test_once_entitlement_is_used_up_by_a_live_booking_only(
    organisation, plan, installation, main_user, agent
):
    give_contract(organisation, plan, START)
    starts_at = datetime.datetime(2026, 11, 30, 9, tzinfo=HELSINKI)
    booking = Booking.objects.create(
        entitlement=installation,
        organisation=organisation,
        staff=agent,
        booked_by=main_user,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 20)) == []
    booking.is_cancelled = True
    booking.save()
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 20)) == [installation]


def test_another_organisations_booking_does_not_use_it_up(
    organisation, plan, installation, stranger, agent
):
    give_contract(organisation, plan, START)
    give_contract(stranger.organisation, plan, START)
    starts_at = datetime.datetime(2026, 11, 30, 9, tzinfo=HELSINKI)
    Booking.objects.create(
        entitlement=installation,
        organisation=stranger.organisation,
        staff=agent,
        booked_by=stranger,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    assert eligible_entitlements(organisation, datetime.date(2026, 11, 20)) == [installation]
