import importlib

import pytest
from django.apps import apps

from tiketti.accounts.models import User
from tiketti.accounts.phones import display_phone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("040 123 4567", "+358401234567"),
        ("+358 40 1234567", "+358401234567"),
        ("(09) 123 4567", "+35891234567"),
        ("+48 601 234 567", "+48601234567"),
        ("0048 601-234-567", "+48601234567"),
    ],
)
def test_numbers_are_stored_in_one_form(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "call me", "12", "+358 40 1234567 1234567 99"])
def test_what_is_no_number_is_not_normalised(typed):
    assert normalise_phone(typed) is None


def test_a_number_without_country_code_is_read_as_the_regions(settings):
    settings.TIKETTI_PHONE_REGION = "PL"
    assert normalise_phone("601 234 567") == "+48601234567"
    assert normalise_phone("601 234 567", "FI") != "+48601234567"


def test_stored_numbers_are_shown_grouped():
    assert display_phone("+358401234567") == "+358 40 1234567"


def test_a_contact_card_keeps_its_number_normalised(main_user):
    main_user.phone = "040 123 4567"
    main_user.save()
    assert User.objects.get(pk=main_user.pk).phone == "+358401234567"
    assert list(User.objects.with_phone("+358401234567")) == [main_user]


def test_the_migration_normalises_numbers_already_stored(main_user, ordinary_user):
    User.objects.filter(pk=main_user.pk).update(phone="040 123 4567")
    User.objects.filter(pk=ordinary_user.pk).update(phone="ask reception")
    migration = importlib.import_module("tiketti.accounts.migrations.0009_normalise_phone_numbers")
    migration.normalise(apps, None)
    assert User.objects.get(pk=main_user.pk).phone == "+358401234567"
    assert User.objects.get(pk=ordinary_user.pk).phone == "ask reception"
