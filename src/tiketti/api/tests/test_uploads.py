"""Attachments through the API: multipart upload, and 413 above the limit on every path.

The large-file tests run with the product's default limit (10 MB per file), over real
HTTP where the request's size is what is being tested.
"""

import base64
import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tiketti.api.models import ApiToken
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment, Message, TicketEvent

MIB = 1024 * 1024


def file_ticket(requester, subject="Help"):
    return submit_request(
        IntakeRequest(channel="api", requester=requester, subject=subject, body_text="Hi")
    ).ticket


def post_over_http(server, path, user, *, data, content_type):
    """One real HTTP request to the live server; returns (status, parsed JSON body)."""
    _, token = ApiToken.issue(user)
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=data,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def multipart(fields):
    return encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT


def named(name, content):
    return SimpleUploadedFile(name, content, "application/octet-stream")


def upload(client, user, number, **fields):
    """Posts as production would: what the request's commit queues (mail) is run."""
    _, token = ApiToken.issue(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/api/v1/tickets/{number}/attachments",
            fields,
            headers={"Authorization": f"Bearer {token}"},
        )


def download(client, user, url):
    """With a token, as an API client downloads what the API links to."""
    _, token = ApiToken.issue(user)
    response = client.get(
        url.removeprefix("http://testserver"), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_5_mib_file_over_real_http_is_stored_and_downloads_byte_identical(
    live_server, client, main_user, default_upload_limits
):
    ticket = file_ticket(main_user)
    content = bytes(range(256)) * (5 * MIB // 256)
    body, content_type = multipart({"files": named("dump.bin", content), "body": "Loki"})
    status, answer = post_over_http(
        live_server,
        f"/api/v1/tickets/{ticket.number}/attachments",
        main_user,
        data=body,
        content_type=content_type,
    )
    assert status == 201, answer
    assert answer["body"] == "Loki"
    [attachment] = answer["attachments"]
    assert attachment["filename"] == "dump.bin" and attachment["size"] == 5 * MIB
    assert download(client, main_user, attachment["url"]) == content


def test_a_file_one_byte_over_the_limit_is_413_json_and_nothing_is_stored(
    live_server, main_user, default_upload_limits
):
    ticket = file_ticket(main_user)
    body, content_type = multipart({"files": named("iso.bin", b"0" * (10 * MIB + 1))})
    status, answer = post_over_http(
        live_server,
        f"/api/v1/tickets/{ticket.number}/attachments",
        main_user,
        data=body,
        content_type=content_type,
    )
    assert status == 413
    assert answer["code"] == "attachment_too_large"
    assert "10 MB" in answer["message"] and "iso.bin" in answer["message"]
    assert not Attachment.objects.exists()
    assert ticket.messages.count() == 1


def test_a_json_body_over_the_request_limit_is_413_json_not_500(
    live_server, main_user, default_upload_limits
):
    attachment = {"filename": "big.bin", "content_base64": "A" * (15 * MIB)}
    payload = {"subject": "Iso", "body": "Liite", "attachments": [attachment]}
    status, answer = post_over_http(
        live_server,
        "/api/v1/tickets",
        main_user,
        data=json.dumps(payload).encode(),
        content_type="application/json",
    )
    assert status == 413
    assert answer["code"] == "request_too_large"
    assert "10 MB" in answer["message"] and "/attachments" in answer["message"]
    assert not Attachment.objects.exists() and not Message.objects.exists()


def test_a_base64_file_at_the_limit_is_accepted_and_one_byte_more_is_413(
    api_client, main_user, default_upload_limits
):
    at_limit = base64.b64encode(b"x" * (10 * MIB)).decode()
    response = api_client(main_user, "/tickets", at_limit)
    assert response.status_code == 201, response.content
    assert response.json()["messages"][0]["attachments"][0]["size"] == 10 * MIB

    over = base64.b64encode(b"x" * (10 * MIB + 1)).decode()
    response = api_client(main_user, "/tickets", over)
    assert response.status_code == 413
    assert response.json()["code"] == "attachment_too_large"
    assert Attachment.objects.count() == 1


@pytest.fixture
def api_client(client):
    def post(user, path, content_base64):
        _, token = ApiToken.issue(user)
        attachment = {"filename": "x.bin", "content_base64": content_base64}
        return client.post(
            f"/api/v1{path}",
            {"subject": "s", "body": "b", "attachments": [attachment]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    return post


def test_a_multipart_request_over_the_request_limit_is_refused_before_it_is_read(
    client, main_user, settings
):
    ticket = file_ticket(main_user)
    size = settings.TIKETTI_MAX_REQUEST_BYTES + 1
    response = upload(client, main_user, ticket.number, files=named("huge.bin", b"0" * size))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not Attachment.objects.exists()


def test_more_files_than_django_reads_in_one_request_is_413(client, main_user, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    ticket = file_ticket(main_user)
    files = [named(f"{n}.txt", b"x") for n in range(3)]
    response = upload(client, main_user, ticket.number, files=files)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not Attachment.objects.exists()


def test_an_unreadable_multipart_body_is_400_json_not_500(client, main_user):
    ticket = file_ticket(main_user)
    _, token = ApiToken.issue(main_user)
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/attachments",
        b"--no boundary was declared",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_several_files_at_once_arrive_as_one_new_message_that_is_notified(client, main_user, agent):
    ticket = file_ticket(main_user)
    services.assign_ticket(ticket=ticket, assignee=agent, actor=agent, team=None)
    mail.outbox.clear()
    files = [named("a.txt", b"first"), named("b.txt", b"second")]
    response = upload(client, main_user, ticket.number, files=files)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [a["filename"] for a in body["attachments"]] == ["a.txt", "b.txt"]
    assert ticket.messages.count() == 2
    assert mail.outbox, "the assignee hears of the new message as of any reply"


def test_files_added_to_the_first_message_make_no_new_message_and_no_mail(client, main_user):
    ticket = file_ticket(main_user)
    first = ticket.messages.get()
    mail.outbox.clear()
    response = upload(
        client, main_user, ticket.number, files=named("log.txt", b"trace"), message=first.pk
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == first.pk
    assert [a["filename"] for a in response.json()["attachments"]] == ["log.txt"]
    assert ticket.messages.count() == 1 and not mail.outbox
    assert TicketEvent.objects.filter(ticket=ticket, kind="attachment", new_value="log.txt")


def test_files_cannot_be_added_to_someone_elses_message(client, main_user, agent):
    ticket = file_ticket(main_user)
    reply = services.post_message(ticket=ticket, author=agent, body_text="Hei", channel="portal")
    note = services.post_message(
        ticket=ticket, author=agent, body_text="Sisäinen", channel="portal", is_internal=True
    )
    response = upload(
        client, main_user, ticket.number, files=named("a.txt", b"a"), message=reply.pk
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_message"
    response = upload(client, main_user, ticket.number, files=named("a.txt", b"a"), message=note.pk)
    assert response.status_code == 404  # an internal note does not exist for a customer
    assert not Attachment.objects.exists()


def test_uploads_follow_the_tickets_visibility(client, main_user, stranger):
    ticket = file_ticket(main_user)
    response = upload(client, stranger, ticket.number, files=named("a.txt", b"a"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Attachment.objects.exists()


def test_too_many_files_at_once_are_refused_whole(client, main_user, settings):
    ticket = file_ticket(main_user)
    files = [named(f"{n}.txt", b"x") for n in range(settings.TIKETTI_MAX_ATTACHMENTS + 1)]
    response = upload(client, main_user, ticket.number, files=files)
    assert response.status_code == 413
    assert response.json()["code"] == "attachment_refused"
    assert not Attachment.objects.exists() and ticket.messages.count() == 1


def test_an_upload_without_files_is_422(client, main_user):
    ticket = file_ticket(main_user)
    response = upload(client, main_user, ticket.number, body="no files")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_schema_documents_multipart_upload_and_413_wherever_a_body_is_sent(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    upload_operation = paths["/api/v1/tickets/{number}/attachments"]["post"]
    assert "multipart/form-data" in upload_operation["requestBody"]["content"]
    with_body = [
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert ("/api/v1/tickets/{number}/attachments", "post") in with_body
    for path, method in with_body:  # any body can be over Django's request limit
        assert "413" in paths[path][method]["responses"], (method, path)
