from django.utils import timezone

from tiketti.accounts.models import Organisation
from tiketti.contracts.entitlements import eligible_entitlements
from tiketti.operations.demo import load_demo_data


def offered(name):
    organisation = Organisation.objects.get(name=name)
    return [item.name for item in eligible_entitlements(organisation, timezone.localdate())]


def test_demo_offers_training_to_the_trial_and_installation_to_all_in_one(db):
    assert load_demo_data()
    assert offered("Northwind Field Service Ltd") == ["Video training"]  # a trial
    assert offered("Sklep Bursztyn sp. z o.o.") == ["Installation of the client panel"]
    assert offered("Verkkokauppa Aurora Oy") == []  # Basic, contract over a year old
