"""`GET /categories` and the request-form answers of `POST /tickets`."""

import base64

import pytest

from tiketti.api.models import ApiToken
from tiketti.tickets.models import CategoryField, ScopeAnswer


@pytest.fixture
def api(client):
    def call(method, path, user, **kwargs):
        _, token = ApiToken.issue(user)
        return getattr(client, method)(
            f"/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"},
            content_type="application/json",
            **kwargs,
        )

    return call


@pytest.fixture
def error_report(category):
    CategoryField.objects.create(
        category=category,
        name="page_url",
        kind="url",
        is_required=True,
        label_en="Address of the page",
        label_fi="Sivun osoite",
        label_pl="Adres strony",
    )
    CategoryField.objects.create(
        category=category,
        name="kind",
        kind="choice",
        choices="sms | SMS | Tekstiviesti | SMS\ncourier | Courier | Kuljetus | Przesyłka",
        label_en="What is it about?",
        position=1,
    )
    CategoryField.objects.create(
        category=category, name="screenshot", kind="file", label_en="Screenshot", position=2
    )
    return category


def test_categories_list_their_questions_in_three_languages(api, main_user, error_report):
    response = api("get", "/categories", main_user)
    assert response.status_code == 200
    [bug] = response.json()
    assert bug["slug"] == "bug"
    assert bug["names"] == {"en": "Error report", "fi": "Virheilmoitus", "pl": "Zgłoszenie błędu"}
    assert bug["out_of_scope"] is False
    assert [(f["name"], f["type"], f["required"]) for f in bug["fields"]] == [
        ("page_url", "url", True),
        ("kind", "choice", False),
        ("screenshot", "file", False),
    ]
    assert bug["fields"][0]["labels"]["pl"] == "Adres strony"
    assert bug["fields"][1]["choices"][1] == {
        "value": "courier",
        "labels": {"en": "Courier", "fi": "Kuljetus", "pl": "Przesyłka"},
    }
    assert bug["fields"][1]["labels"]["fi"] == "What is it about?"  # English when untranslated


def test_an_out_of_scope_category_says_so(api, main_user, category):
    category.is_out_of_scope = True
    category.scope_answer = ScopeAnswer.objects.create(title_en="Hosting", text_en="No.")
    category.save()
    assert api("get", "/categories", main_user).json()[0]["out_of_scope"] is True


def test_a_missing_required_answer_is_422_naming_the_field(api, main_user, error_report):
    payload = {"subject": "Kassa", "body": "Virhe", "category": "bug", "fields": {"kind": "fax"}}
    response = api("post", "/tickets", main_user, data=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_fields"
    assert {(item["field"], item["code"]) for item in body["detail"]} == {
        ("page_url", "required"),
        ("kind", "invalid"),
    }
    assert "page_url" in body["message"]


def test_answers_impact_and_urgency_are_filed_and_shown(api, main_user, error_report):
    shot = {"filename": "shot.png", "content_base64": base64.b64encode(b"png").decode()}
    payload = {
        "subject": "Kassa",
        "body": "Virhe",
        "category": "bug",
        "impact": "blocks_all",
        "urgency": "high",
        "fields": {"page_url": "https://aurora.example/kassa", "screenshot": "shot.png"},
        "attachments": [shot],
    }
    response = api("post", "/tickets", main_user, data=payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fields"] == {
        "page_url": "https://aurora.example/kassa",
        "screenshot": ["shot.png"],
    }
    assert (body["impact"], body["urgency"], body["priority"]) == ("blocks_all", "high", "urgent")
    detail = api("get", f"/tickets/{body['number']}", main_user).json()
    assert detail["fields"]["page_url"] == "https://aurora.example/kassa"
    assert {"priority", "category", "channel", "status"} <= detail.keys()


def test_a_customer_token_cannot_set_the_priority(api, main_user):
    payload = {"subject": "Kassa", "body": "Virhe", "priority": "urgent"}
    response = api("post", "/tickets", main_user, data=payload)
    assert response.status_code == 403
    assert response.json()["code"] == "priority_staff_only"


def test_a_staff_token_may_set_the_priority(api, agent, main_user):
    payload = {
        "subject": "Kassa",
        "body": "Virhe",
        "priority": "urgent",
        "requester_email": main_user.email,
    }
    response = api("post", "/tickets", agent, data=payload)
    assert response.status_code == 201, response.content
    assert response.json()["priority"] == "urgent"


def test_an_unknown_impact_is_422(api, main_user):
    payload = {"subject": "Kassa", "body": "Virhe", "impact": "everything"}
    response = api("post", "/tickets", main_user, data=payload)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_schema_documents_categories_and_answers(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "200" in schema["paths"]["/api/v1/categories"]["get"]["responses"]
    create = schema["paths"]["/api/v1/tickets"]["post"]
    assert "422" in create["responses"] and "403" in create["responses"]
    ticket_in = schema["components"]["schemas"]["TicketIn"]["properties"]
    assert {"fields", "impact", "urgency"} <= ticket_in.keys()
    assert (
        "invalid_fields"
        in schema["components"]["schemas"]["Error"]["properties"]["detail"]["description"]
    )
