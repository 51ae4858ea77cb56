"""Names admins give things, per language: shown in the reader's language, edited in the
admin as plain fields, falling back to the default name."""

import pytest
from django.urls import reverse
from django.utils import translation

from tiketti.accounts.models import Team
from tiketti.accounts.tests.factories import TeamFactory, UserFactory
from tiketti.contracts.models import Entitlement, Plan
from tiketti.operations.demo import load_demo_data
from tiketti.sla.models import SlaPolicy

pytestmark = pytest.mark.django_db


def test_a_name_follows_the_active_language_and_falls_back_to_the_default():
    team = TeamFactory(name="Billing", name_translations={"fi": "Laskutus"})
    with translation.override("fi"):
        assert str(team) == "Laskutus"
    with translation.override("pl"):
        assert str(team) == "Billing"  # no Polish name yet
    assert team.localized_name("fi") == "Laskutus"


def test_admins_edit_the_names_per_language_as_plain_fields(client):
    client.force_login(UserFactory(admin=True))
    team = TeamFactory(name="Billing")
    url = reverse("admin:accounts_team_change", args=[team.pk])
    page = client.get(url).content.decode()
    assert 'name="name_fi"' in page and 'name="name_pl"' in page
    assert 'name="name_translations"' not in page
    response = client.post(
        url, {"name": "Billing", "email": "", "name_fi": " Laskutus ", "name_pl": "", "name_en": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team.refresh_from_db()
    assert team.name_translations == {"fi": "Laskutus"}
    assert 'value="Laskutus"' in client.get(url).content.decode()


def test_sla_policy_admin_offers_the_names_too(client):
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("admin:sla_slapolicy_add")).content.decode()
    assert 'name="name_fi"' in page and 'name="name_pl"' in page


@pytest.mark.django_db(transaction=True)
def test_the_demo_names_teams_policies_plans_and_sessions_in_three_languages():
    load_demo_data()
    for model in (Team, SlaPolicy, Plan, Entitlement):
        for item in model.objects.all():
            names = {item.localized_name(code) for code in ("en", "fi", "pl")}
            assert set(item.name_translations) == {"en", "fi", "pl"}, item
            assert item.localized_name("en") == item.name
            assert len(names) >= 2, item  # a Finnish or Polish name of its own
