"""The public privacy page and the admins' export and erase buttons."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tiketti.audit.models import AuditEntry

from .conftest import Filed


def test_the_privacy_page_is_public_and_linked_from_every_page(client, db):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "What we store and why" in response.content.decode()
    home = client.get(reverse("knowledge:home")).content.decode()
    assert 'href="/privacy/"' in home


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "How long we keep it"), ("fi", "Kuinka kauan"), ("pl", "Jak długo")],
)
def test_the_privacy_page_speaks_the_visitors_language(client, db, language, heading):
    response = client.get("/privacy/", headers={"accept-language": language})
    assert heading in response.content.decode()


def test_the_page_shows_the_retention_period_from_the_setting(client, db, settings):
    settings.TIKETTI_RETENTION_MONTHS = 18
    page = client.get("/privacy/", headers={"accept-language": "en"}).content.decode()
    assert "Closed tickets are emptied 18 months after their last change" in page
    settings.TIKETTI_RETENTION_MONTHS = None
    page = client.get("/privacy/", headers={"accept-language": "en"}).content.decode()
    assert "emptied" not in page and "unless you ask for erasure" in page


def test_an_admin_downloads_a_persons_data_and_it_is_recorded(client, filed: Filed, admin):
    client.force_login(admin)
    change = client.get(reverse("admin:accounts_user_change", args=[filed.maija.pk]))
    export_url = reverse("admin:privacy-export", args=[filed.maija.pk])
    assert export_url in change.content.decode()
    response = client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["email"] == "maija@aurora.example"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_EXPORTED)
    assert entry.actor == admin and entry.details == {"via": "admin"}


def test_the_admin_action_leads_to_the_same_download(client, filed: Filed, admin):
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_personal_data", "_selected_action": [filed.maija.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:privacy-export", args=[filed.maija.pk])


def test_an_admin_erases_after_confirming_with_the_address(client, filed: Filed, admin):
    client.force_login(admin)
    url = reverse("admin:privacy-erase", args=[filed.maija.pk])
    page = client.get(url).content.decode()
    assert "cannot be undone" in page and 'name="confirm"' in page
    refused = client.post(url, {"confirm": "someone@else.example"})
    assert "Type the person&#x27;s e-mail address exactly" in refused.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PERSONAL_DATA_ERASED).exists()
    response = client.post(url, {"confirm": "Maija@Aurora.example"})
    assert response.status_code == 302
    filed.maija.refresh_from_db()
    assert filed.maija.display_name == "" and not filed.maija.is_active
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_ERASED)
    assert entry.actor == admin


def test_an_agent_cannot_export_or_erase(client, filed: Filed):
    client.force_login(filed.agent)
    for name in ("admin:privacy-export", "admin:privacy-erase"):
        response = client.get(reverse(name, args=[filed.maija.pk]))
        assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PERSONAL_DATA_EXPORTED).exists()
