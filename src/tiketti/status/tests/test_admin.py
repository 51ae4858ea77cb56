from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.mail.models import OutgoingEmail
from tiketti.status.models import Incident


def formsets(**updates):
    data = {
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    data.update({f"updates-0-{key}": value for key, value in updates.items()})
    return data


def test_an_incident_added_in_the_admin_is_announced_and_its_resolution_too(
    client, main_user, committed
):
    admin = UserFactory(admin=True)
    client.force_login(admin)
    with committed():
        response = client.post(
            reverse("admin:status_incident_add"),
            {
                "title_en": "Mail is slow",
                "title_fi": "Posti on hidas",
                "started_at_0": "2026-12-01",
                "started_at_1": "10:00:00",
                "organisations": [main_user.organisation_id],
                "is_sla_exempt": "on",
                **formsets(state="identified", text_en="Looking.", text_fi="Selvitämme."),
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.state == "identified" and incident.created_by == admin
    assert incident.sla_exempted_by == admin
    assert OutgoingEmail.objects.get(template="incident-started").to == main_user.email
    with committed():
        client.post(
            reverse("admin:status_incident_change", args=[incident.pk]),
            {
                "title_en": "Mail is slow",
                "title_fi": "Posti on hidas",
                "started_at_0": "2026-12-01",
                "started_at_1": "10:00:00",
                "organisations": [main_user.organisation_id],
                "is_sla_exempt": "on",
                **formsets(state="resolved", text_en="Fixed.", text_fi="Korjattu."),
                "updates-INITIAL_FORMS": "0",
            },
        )
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolved_at is not None
    assert OutgoingEmail.objects.filter(template="incident-resolved").count() == 1
