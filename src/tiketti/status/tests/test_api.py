import pytest

from tiketti.accounts.tests.factories import UserFactory
from tiketti.api.models import ApiToken
from tiketti.mail.models import OutgoingEmail
from tiketti.status.models import Incident

from .factories import open_incident


@pytest.fixture
def api(client):
    def call(method, path, user=None, **kwargs):
        headers = {}
        if user is not None:
            _, token = ApiToken.issue(user)
            headers["Authorization"] = f"Bearer {token}"
        return getattr(client, method)(
            f"/api/v1/incidents{path}", headers=headers, content_type="application/json", **kwargs
        )

    return call


@pytest.fixture
def admin(db):
    return UserFactory(admin=True, email="admin@tiketti.example")


NEW = {
    "title": {"en": "Login fails", "fi": "Kirjautuminen ei onnistu"},
    "text": {"en": "Investigating.", "fi": "Selvitämme."},
}


def test_anyone_lists_incidents_without_a_token(api, agent):
    incident = open_incident(agent)
    response = api("get", "")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [item["id"] for item in body["items"]] == [incident.pk]
    assert body["items"][0]["title"]["fi"] == "Maksut eivät toimi"
    assert body["items"][0]["updates"][0]["state"] == "investigating"
    assert not response.cookies


def test_affected_customers_are_named_to_staff_only(api, agent, main_user, stranger):
    open_incident(agent, organisations=[main_user.organisation])
    assert api("get", "").json()["items"][0]["organisations"] == []
    assert api("get", "", stranger).json()["items"][0]["organisations"] == []
    assert api("get", "", agent).json()["items"][0]["organisations"] == ["Aurora Oy"]


def test_the_list_pages_with_a_cursor(api, agent):
    made = [open_incident(agent).pk for _ in range(3)]
    first = api("get", "?limit=2").json()
    assert [item["id"] for item in first["items"]] == made[:0:-1]
    second = api("get", first["next"].split("/incidents", 1)[1]).json()
    assert [item["id"] for item in second["items"]] == made[:1] and second["next"] is None


def test_staff_open_an_incident_and_main_users_are_told(
    api, agent, main_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            "post", "", agent, data={**NEW, "organisations": [main_user.organisation_id]}
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisations"] == ["Aurora Oy"] and body["state"] == "investigating"
    email = OutgoingEmail.objects.get(template="incident-started")
    assert email.to == main_user.email and "Kirjautuminen ei onnistu" in email.subject


@pytest.mark.parametrize(
    ("who", "status", "code"), [(None, 401, "unauthorized"), ("customer", 403, "forbidden")]
)
def test_only_staff_create_incidents(api, main_user, who, status, code):
    response = api("post", "", main_user if who else None, data=NEW)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Incident.objects.exists()


def test_invalid_input_is_a_json_422(api, agent):
    response = api("post", "", agent, data={**NEW, "state": "on fire"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    response = api("post", "", agent, data={**NEW, "organisations": [999999]})
    assert response.status_code == 400 and response.json()["code"] == "invalid_incident"


def test_only_admins_excuse_breaches_and_it_is_recorded(api, agent, admin):
    incident = open_incident(agent)
    response = api("patch", f"/{incident.pk}", agent, data={"sla_exempt": True})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = api("patch", f"/{incident.pk}", admin, data={"sla_exempt": True})
    assert response.status_code == 200 and response.json()["sla_exempt"] is True
    incident.refresh_from_db()
    assert incident.sla_exempted_by == admin and incident.sla_exempted_at is not None


def test_updates_move_the_state_and_a_resolved_incident_is_409(api, agent):
    incident = open_incident(agent)
    update = {"state": "resolved", "text": {"en": "Fixed."}}
    response = api("post", f"/{incident.pk}/updates", agent, data=update)
    assert response.status_code == 201
    assert response.json()["state"] == "resolved" and response.json()["resolved_at"]
    response = api("post", f"/{incident.pk}/updates", agent, data=update)
    assert response.status_code == 409 and response.json()["code"] == "incident_resolved"
    response = api("post", "/999999/updates", agent, data=update)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_every_status_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/incidents"]["get"]["responses"]) == {"200", "422"}
    assert {"201", "400", "401", "403", "422"} <= set(
        paths["/api/v1/incidents"]["post"]["responses"]
    )
    updates = paths["/api/v1/incidents/{incident_id}/updates"]["post"]["responses"]
    assert {"201", "404", "409", "422"} <= set(updates)
    patch = paths["/api/v1/incidents/{incident_id}"]["patch"]["responses"]
    assert {"200", "403", "404"} <= set(patch)
