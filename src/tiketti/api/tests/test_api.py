import base64

import pytest

from tiketti.api.models import ApiToken
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket


@pytest.fixture
def api(client):
    def call(method, path, user=None, token=None, **kwargs):
        if user is not None:
            _, token = ApiToken.issue(user)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return getattr(client, method)(
            f"/api/v1{path}", headers=headers, content_type="application/json", **kwargs
        )

    return call


def file_ticket(requester, subject="Help"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    ).ticket


def test_missing_or_wrong_token_is_401_json(api, db):
    for token in (None, "tk_wrong", "nonsense"):
        response = api("get", "/tickets", token=token)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


def test_customer_creates_a_ticket_for_themselves(api, main_user, category):
    attachment = {"filename": "log.txt", "content_base64": base64.b64encode(b"trace").decode()}
    response = api(
        "post",
        "/tickets",
        main_user,
        data={
            "subject": "API issue",
            "body": "Details",
            "category": "bug",
            "attachments": [attachment],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("AB-")
    assert body["requester"]["email"] == main_user.email
    assert body["channel"] == "api"
    assert body["messages"][0]["attachments"][0]["filename"] == "log.txt"


def test_staff_token_files_on_behalf_of_a_customer(api, agent, main_user):
    response = api(
        "post",
        "/tickets",
        agent,
        data={
            "subject": "Phoned in",
            "body": "Customer called",
            "requester_email": main_user.email,
        },
    )
    assert response.status_code == 201
    assert Ticket.objects.get().requester == main_user


def test_unknown_category_is_a_stable_error_code(api, main_user, category):
    response = api(
        "post", "/tickets", main_user, data={"subject": "s", "body": "b", "category": "zzz"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_category"
    assert not Ticket.objects.exists()


def test_invalid_payload_is_422_with_details(api, main_user):
    response = api("post", "/tickets", main_user, data={"subject": ""})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {tuple(item["loc"])[-1] for item in body["detail"]} >= {"subject", "body"}


def test_malformed_json_is_a_json_error(api, main_user):
    response = api("post", "/tickets", main_user, data="{not json")
    assert response.status_code in (400, 422)
    assert "code" in response.json()


def test_bad_base64_attachment_is_refused(api, main_user):
    bad = {"filename": "x.bin", "content_base64": "%%%"}
    response = api(
        "post", "/tickets", main_user, data={"subject": "s", "body": "b", "attachments": [bad]}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_attachment"


def test_list_shows_only_visible_tickets(api, main_user, stranger):
    mine = file_ticket(main_user)
    file_ticket(stranger)
    body = api("get", "/tickets", main_user).json()
    assert body["count"] == 1
    assert [t["number"] for t in body["items"]] == [mine.number]


def test_list_rejects_unknown_status(api, main_user):
    response = api("get", "/tickets?status=bogus", main_user)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_status"


def test_get_hides_internal_notes_from_customers(api, main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(
        ticket=ticket, author=agent, body_text="secret", channel="portal", is_internal=True
    )
    customer_view = api("get", f"/tickets/{ticket.number}", main_user).json()
    assert [m["body"] for m in customer_view["messages"]] == ["Hi"]
    staff_view = api("get", f"/tickets/{ticket.number}", agent).json()
    assert [m["internal"] for m in staff_view["messages"]] == [False, True]


def test_other_organisations_ticket_is_404_json(api, main_user, stranger):
    ticket = file_ticket(main_user)
    response = api("get", f"/tickets/{ticket.number}", stranger)
    assert response.status_code == 404
    assert (
        response.json()
        == {
            "code": "not_found",
            "message": "Not found, or you have no access to it.",
            "detail": None,
        }
        or response.json()["code"] == "not_found"
    )


def test_customer_posts_a_reply_but_not_a_note(api, main_user):
    ticket = file_ticket(main_user)
    response = api(
        "post", f"/tickets/{ticket.number}/messages", main_user, data={"body": "More info"}
    )
    assert response.status_code == 201
    response = api(
        "post",
        f"/tickets/{ticket.number}/messages",
        main_user,
        data={"body": "x", "internal": True},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "forbidden"
    assert ticket.messages.count() == 2


def test_staff_reply_sets_status(api, agent, main_user):
    ticket = file_ticket(main_user)
    response = api(
        "post",
        f"/tickets/{ticket.number}/messages",
        agent,
        data={"body": "Fixed", "status": "solved"},
    )
    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.status == "solved"


def test_staff_reply_with_invalid_status_is_409(api, agent, main_user):
    ticket = file_ticket(main_user)
    response = api(
        "post", f"/tickets/{ticket.number}/messages", agent, data={"body": "x", "status": "closed"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert ticket.messages.count() == 1


def test_openapi_schema_describes_the_contract(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {
        "/api/v1/tickets",
        "/api/v1/tickets/{number}",
        "/api/v1/tickets/{number}/messages",
    } <= set(paths)
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_revoked_token_is_refused(api, main_user):
    row, token = ApiToken.issue(main_user)
    row.revoked_at = row.created_at
    row.save()
    assert api("get", "/tickets", token=token).status_code == 401


def test_api_token_command_prints_a_working_token(api, main_user, capsys):
    from django.core.management import call_command

    call_command("api-token", "create", "--email", main_user.email.upper())
    token = capsys.readouterr().out.strip()
    assert token.startswith("tk_")
    assert api("get", "/tickets", token=token).status_code == 200


def test_api_token_command_explains_an_unknown_user(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No user with e-mail"):
        call_command("api-token", "create", "--email", "ghost@example.com")


def test_api_docs_page_loads_nothing_from_other_sites(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_staff_token_files_a_phone_call_for_a_customer(api, agent, main_user):
    response = api(
        "post",
        "/tickets",
        agent,
        data={
            "subject": "Soitto",
            "body": "Asiakas soitti",
            "requester_email": main_user.email,
            "channel": "phone",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "phone"
    assert Ticket.objects.get().requester == main_user


def test_customer_token_cannot_claim_another_channel(api, main_user):
    response = api(
        "post", "/tickets", main_user, data={"subject": "s", "body": "b", "channel": "phone"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"
    assert not Ticket.objects.exists()
