"""The API's edges: JSON for every error, downloads with a token, cursor pages."""

import base64

import pytest

from tiketti.api.models import ApiToken
from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket


@pytest.fixture
def api(client):
    def call(method, path, user=None, **kwargs):
        headers = {}
        if user is not None:
            _, token = ApiToken.issue(user)
            headers["Authorization"] = f"Bearer {token}"
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call


def file_ticket(requester, subject="Apua", files=()):
    return submit_request(
        IntakeRequest(
            channel="portal", requester=requester, subject=subject, body_text="x", files=files
        )
    ).created_ticket


def test_a_method_the_path_does_not_take_is_a_json_405(api, main_user):
    response = api("put", "/api/v1/tickets", main_user)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/elsewhere", "/api/v1/tickets/"])
def test_an_unknown_api_path_is_a_json_404(api, db, path):
    response = api("get", path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_pages_outside_the_api_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_attachment_urls_the_api_gives_download_with_the_token(api, main_user, stranger):
    ticket = file_ticket(main_user, files=[IncomingFile(name="virhe.txt", content=b"trace")])
    detail = api("get", f"/api/v1/tickets/{ticket.number}", main_user).json()
    url = detail["messages"][0]["attachments"][0]["url"]
    assert url.startswith("http://testserver/api/v1/attachments/")
    path = url.removeprefix("http://testserver")

    response = api("get", path, main_user)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"trace"
    assert "attachment" in response["Content-Disposition"]

    assert api("get", path).json()["code"] == "unauthorized"
    hidden = api("get", path, stranger)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    response.close()  # last: closing ends the request, and with it the test's connection


def test_a_customer_cannot_download_an_internal_notes_attachment(api, main_user, agent):
    ticket = file_ticket(main_user)
    note = services.post_message(
        ticket=ticket,
        author=agent,
        body_text="Loki",
        channel="portal",
        is_internal=True,
        files=[IncomingFile(name="loki.txt", content=b"sisainen")],
    )
    attachment = note.attachments.get()
    path = f"/api/v1/attachments/{attachment.key}/{attachment.filename}"
    assert api("get", path, main_user).status_code == 404
    response = api("get", path, agent)
    assert b"".join(response.streaming_content) == b"sisainen"
    response.close()


def test_ticket_list_pages_by_cursor_without_repeats_or_gaps(api, main_user):
    tickets = [file_ticket(main_user, subject=f"T{n}") for n in range(5)]
    first = api("get", "/api/v1/tickets?limit=2", main_user).json()
    assert first["count"] == 5
    seen = [item["number"] for item in first["items"]]

    file_ticket(main_user, subject="Newer")  # arrives between pages: not in the old walk
    page = first
    while page["next"]:
        page = api("get", page["next"].removeprefix("http://testserver"), main_user).json()
        seen += [item["number"] for item in page["items"]]

    assert seen == [t.number for t in reversed(tickets)]


def test_offset_still_works_for_older_clients(api, main_user):
    tickets = [file_ticket(main_user, subject=f"T{n}") for n in range(3)]
    page = api("get", "/api/v1/tickets?limit=1&offset=1", main_user).json()
    assert [item["number"] for item in page["items"]] == [tickets[1].number]
    assert "offset" not in page["next"]


@pytest.mark.parametrize("cursor", ["nonsense", base64.urlsafe_b64encode(b'["x", 1]').decode()])
def test_a_broken_cursor_is_a_stable_error(api, main_user, cursor):
    response = api("get", f"/api/v1/tickets?cursor={cursor}", main_user)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_ticket_list_query_count_does_not_grow_with_the_page(
    api, main_user, django_assert_max_num_queries
):
    for n in range(6):
        file_ticket(main_user, subject=f"T{n}")
    _, token = ApiToken.issue(main_user)
    # the address's token failures (throttling), the token, its last use, the page, the count
    with django_assert_max_num_queries(5):
        response = api("get", "/api/v1/tickets?limit=5", None, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(response.json()["items"]) == 5
    assert Ticket.objects.count() == 6
