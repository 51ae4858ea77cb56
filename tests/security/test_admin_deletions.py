"""Deletions made in the admin are in the audit log: one object at a time, and the admin's
bulk "delete selected" (which Django logs without signals) with what, how many and by whom."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tiketti.accounts.models import Team, User
from tiketti.accounts.tests.factories import ContactFactory, TeamFactory, UserFactory
from tiketti.audit.describe import describe
from tiketti.audit.models import AuditEntry

Action = AuditEntry.Action


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(agent=True, admin=True, email="root@tiketti.example", language="en")
    client.force_login(admin)
    client.admin = admin
    return client


def bulk_delete(client, model_admin_url, pks, confirm=True):
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse(model_admin_url), data)


def test_bulk_deleting_people_records_how_many_and_who(admin_client, organisation):
    people = [
        ContactFactory(organisation=organisation, email=f"c{n}@aurora.example") for n in range(3)
    ]
    response = bulk_delete(admin_client, "admin:accounts_user_changelist", [p.pk for p in people])
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[p.pk for p in people]).exists()
    [entry] = AuditEntry.objects.filter(action=Action.ADMIN_BULK_DELETED)
    assert entry.actor == admin_client.admin and entry.target_type == "accounts.user"
    assert entry.details["count"] == 3
    assert sorted(item["id"] for item in entry.details["objects"]) == sorted(
        str(p.pk) for p in people
    )
    names = sorted(describe(entry).removesuffix(".").split(": ", 1)[1].split(", "))
    assert describe(entry).startswith("root@tiketti.example deleted 3 people in the admin: ")
    assert names == sorted(str(p) for p in people)


def test_the_confirmation_page_deletes_and_records_nothing(admin_client):
    teams = [TeamFactory(name=f"Team {n}") for n in range(2)]
    page = bulk_delete(admin_client, "admin:accounts_team_changelist", [t.pk for t in teams], False)
    assert page.status_code == 200
    assert Team.objects.count() == 2
    assert not AuditEntry.objects.filter(action=Action.ADMIN_BULK_DELETED).exists()


def test_a_long_bulk_deletion_names_the_first_and_counts_the_rest(admin_client):
    teams = [TeamFactory(name=f"Team {n:02d}") for n in range(12)]
    bulk_delete(admin_client, "admin:accounts_team_changelist", [t.pk for t in teams])
    [entry] = AuditEntry.objects.filter(action=Action.ADMIN_BULK_DELETED)
    assert entry.details["count"] == 12
    text = describe(entry)
    assert text.startswith("root@tiketti.example deleted 12 teams in the admin: Team ")
    assert text.endswith(" and 2 more.")


def test_deleting_one_object_by_either_way_is_recorded_once(admin_client):
    lone, other = TeamFactory(name="Lone"), TeamFactory(name="Other")
    bulk_delete(admin_client, "admin:accounts_team_changelist", [lone.pk])
    admin_client.post(reverse("admin:accounts_team_delete", args=[other.pk]), {"post": "yes"})
    deleted = AuditEntry.objects.filter(action=Action.SETTINGS_CHANGED, details__change="deleted")
    assert sorted(entry.target_label for entry in deleted) == ["Lone", "Other"]
    assert not AuditEntry.objects.filter(action=Action.ADMIN_BULK_DELETED).exists()
    assert describe(deleted.get(target_label="Other")).startswith(
        "root@tiketti.example deleted Other in the admin."
    )


def test_bulk_deletion_of_api_tokens_is_recorded(admin_client, main_user):
    from tiketti.api.models import ApiToken

    tokens = [ApiToken.issue(user=main_user, name=f"t{n}")[0] for n in range(2)]
    bulk_delete(admin_client, "admin:api_apitoken_changelist", [t.pk for t in tokens])
    [entry] = AuditEntry.objects.filter(action=Action.ADMIN_BULK_DELETED)
    assert entry.target_type == "api.apitoken" and entry.details["count"] == 2
