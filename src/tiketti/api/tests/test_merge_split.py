"""POST /tickets/{number}/merge and /split: staff only, JSON errors with stable codes."""

import pytest

from tiketti.api.models import ApiToken
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

pytestmark = pytest.mark.django_db


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


def file_ticket(requester, subject="Help"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    ).ticket


def test_merge_returns_the_survivor_and_the_merged_number_keeps_resolving(api, main_user, agent):
    merged, survivor = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    response = api("post", f"/tickets/{merged.number}/merge", agent, data={"into": survivor.number})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == survivor.number
    assert len(body["messages"]) == 2

    detail = api("get", f"/tickets/{merged.number}", main_user).json()
    assert detail["merged_into"] == survivor.number
    assert detail["status"] == Ticket.Status.CLOSED
    assert api("get", f"/tickets/{survivor.number}", main_user).json()["merged_into"] is None


@pytest.mark.parametrize(
    ("who", "into", "status", "code"),
    [
        ("customer", "other", 403, "forbidden"),
        ("agent", "self", 409, "merge_into_itself"),
        ("agent", "missing", 400, "unknown_ticket"),
        ("agent", "foreign", 409, "merge_across_organisations"),
        ("agent", None, 422, "validation_error"),
    ],
)
def test_merge_errors_are_json_with_stable_codes(
    api, main_user, stranger, agent, who, into, status, code
):
    ticket, other = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    numbers = {
        "other": other.number,
        "self": ticket.number,
        "missing": "TK-999999",
        "foreign": file_ticket(stranger, "C").number,
    }
    user = main_user if who == "customer" else agent
    data = {"into": numbers[into]} if into else {}
    response = api("post", f"/tickets/{ticket.number}/merge", user, data=data)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    ticket.refresh_from_db()
    assert ticket.merged_into is None


def test_split_makes_a_new_ticket_logged_on_both(api, main_user, agent):
    ticket = file_ticket(main_user, "Kaksi asiaa")
    api("post", f"/tickets/{ticket.number}/messages", main_user, data={"body": "Toinen asia"})
    second = ticket.messages.order_by("pk").last()
    response = api(
        "post",
        f"/tickets/{ticket.number}/split",
        agent,
        data={"messages": [second.pk], "subject": "Toinen asia"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == "Toinen asia"
    assert [m["id"] for m in body["messages"]] == [second.pk]
    assert ticket.events.filter(kind="split_off", new_value=body["number"]).exists()


@pytest.mark.parametrize(
    ("who", "pick", "status", "code"),
    [
        ("customer", "one", 403, "forbidden"),
        ("agent", "none", 409, "split_no_messages"),
        ("agent", "all", 409, "split_all_messages"),
        ("agent", "unknown", 409, "split_unknown_message"),
    ],
)
def test_split_errors_are_json_with_stable_codes(api, main_user, agent, who, pick, status, code):
    ticket = file_ticket(main_user, "A")
    api("post", f"/tickets/{ticket.number}/messages", main_user, data={"body": "Lisää"})
    ids = list(ticket.messages.values_list("pk", flat=True))
    messages = {"one": ids[:1], "none": [], "all": ids, "unknown": [ids[-1] + 1000]}[pick]
    user = main_user if who == "customer" else agent
    response = api("post", f"/tickets/{ticket.number}/split", user, data={"messages": messages})
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Ticket.objects.count() == 1


def test_openapi_documents_the_merge_and_split_errors(api, agent, client):
    schema = client.get("/api/v1/openapi.json").json()
    merge = schema["paths"]["/api/v1/tickets/{number}/merge"]["post"]
    split = schema["paths"]["/api/v1/tickets/{number}/split"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(merge["responses"])
    assert {"201", "403", "404", "409", "422"} <= set(split["responses"])
    assert "merge_across_organisations" in merge["description"]
    assert "split_all_messages" in split["description"]
