"""The admins' file type policy, applied to every channel's files in one place."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tiketti.api.models import ApiToken
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage
from tiketti.tickets.attachments import FileRules, file_type_refusal
from tiketti.tickets.history import ticket_history
from tiketti.tickets.models import Attachment, FileTypePolicy, Ticket, TicketEvent

# A Windows program starts "MZ"; a PNG, a PDF and a ZIP by their own signatures.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(100)
PDF = b"%PDF-1.7\n" + bytes(100)
ZIP = b"PK\x03\x04" + bytes(100)
DEFAULTS = FileRules(
    blocked_extensions=frozenset({"exe", "bat", "js", "scr"}),
    blocked_types=frozenset({"application/x-msdownload"}),
)
ONLY_IMAGES = FileRules(frozenset(), frozenset(), allowed_extensions=frozenset({"png", "jpg"}))


@pytest.mark.parametrize(
    ("name", "content", "rules", "refusal"),
    [
        ("kuva.png", PNG, DEFAULTS, None),
        ("lasku.pdf", PDF, DEFAULTS, None),
        ("loki.txt", b"virhe 500", DEFAULTS, None),
        ("setup.exe", PROGRAM, DEFAULTS, "application/x-msdownload"),
        ("lasku.pdf", PROGRAM, DEFAULTS, "application/x-msdownload"),  # the content counts
        ("ohjelma", PROGRAM, DEFAULTS, "application/x-msdownload"),
        ("skripti.js", b"alert(1)", DEFAULTS, ".js"),
        ("KORJAA.BAT", b"del *.*", DEFAULTS, ".bat"),
        ("lasku.pdf.exe", b"text", DEFAULTS, ".exe"),
        ("ruutu.scr.", b"text", DEFAULTS, ".scr"),  # a trailing dot hides nothing
        ("exe", b"text", DEFAULTS, None),  # a name, not an extension
        ("kuva.png", PNG, ONLY_IMAGES, None),
        ("loki.txt", b"virhe", ONLY_IMAGES, ".txt"),
        ("README", b"virhe", ONLY_IMAGES, "no extension"),
        ("kuva.png", ZIP, ONLY_IMAGES, "application/zip"),  # named an image, is an archive
    ],
)
def test_the_policy_judges_by_name_and_by_content(name, content, rules, refusal):
    assert file_type_refusal(name, content, rules) == refusal


def test_the_defaults_block_programs_and_scripts(db):
    assert FileTypePolicy.objects.count() == 0  # no row: the defaults apply
    policy = FileTypePolicy()
    for extension in ("exe", "bat", "js", "scr", "cmd", "vbs", "msi", "ps1"):
        assert extension in policy.blocked_extensions.split()
    assert "application/x-msdownload" in policy.blocked_types.split()


def api_post(client, user, path, **kwargs):
    _, token = ApiToken.issue(user)
    return client.post(path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_portal_refuses_a_program_in_the_readers_language_and_keeps_the_text(
    client, main_user, category
):
    client.force_login(main_user)  # Maija reads Finnish
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "subject": "Kassa ei toimi",
            "category": category.pk,
            "description": "Virhe 500 maksaessa",
            "attachments": [SimpleUploadedFile("kuvakaappaus.pdf", PROGRAM, "application/pdf")],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tiedostoa ”kuvakaappaus.pdf” ei voi liittää" in page
    assert "Virhe 500 maksaessa" in page and 'value="Kassa ei toimi"' in page
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_api_refuses_a_blocked_file_with_415_and_a_stable_code(client, main_user):
    payload = {
        "subject": "Kassa ei toimi",
        "body": "Liitteenä korjaus.",
        "attachments": [
            {"filename": "korjaus.bat", "content_base64": base64.b64encode(b"x").decode()}
        ],
    }
    response = api_post(
        client, main_user, "/api/v1/tickets", data=payload, content_type="application/json"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "attachment_type_blocked"
    assert "korjaus.bat" in response.json()["message"]
    assert not Ticket.objects.exists()


def test_api_multipart_upload_refuses_a_blocked_file(client, main_user):
    response = api_post(client, main_user, "/api/v1/tickets", data={"subject": "S", "body": "B"},
                        content_type="application/json")  # fmt: skip
    number = response.json()["number"]
    upload = api_post(
        client,
        main_user,
        f"/api/v1/tickets/{number}/attachments",
        data={"files": [SimpleUploadedFile("päivitys.exe", PROGRAM)], "body": "Tässä"},
    )
    assert (upload.status_code, upload.json()["code"]) == (415, "attachment_type_blocked")
    assert not Attachment.objects.exists()


def test_the_openapi_schema_documents_415_where_files_are_taken(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/tickets", "/api/v1/tickets/{number}/messages",
                 "/api/v1/tickets/{number}/attachments"):  # fmt: skip
        assert "415" in paths[path]["post"]["responses"], path


def test_an_admins_allow_list_applies_at_once(client, main_user):
    FileTypePolicy.objects.create(allowed_extensions="png, pdf")
    payload = {
        "subject": "Kassa",
        "body": "Loki liitteenä.",
        "attachments": [
            {"filename": "loki.txt", "content_base64": base64.b64encode(b"x").decode()}
        ],
    }
    response = api_post(
        client, main_user, "/api/v1/tickets", data=payload, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (415, "attachment_type_blocked")
    FileTypePolicy.objects.update(allowed_extensions="")  # update() sends no signal…
    FileTypePolicy.objects.get().save()  # …the admin's save does: the policy is re-read
    again = api_post(
        client, main_user, "/api/v1/tickets", data=payload, content_type="application/json"
    )
    assert again.status_code == 201


def mail_with_program() -> bytes:
    message = EmailMessage()
    message["From"] = "Maija Virtanen <maija@aurora.example>"
    message["To"] = "support@tiketti.localhost"
    message["Subject"] = "Päivitys ei asennu"
    message["Message-ID"] = "<prog@aurora.example>"
    message.set_content("Liitteenä asennusohjelma ja kuvakaappaus.")
    message.add_attachment(PROGRAM, maintype="application", subtype="octet-stream",
                           filename="asennus.exe")  # fmt: skip
    message.add_attachment(PNG, maintype="image", subtype="png", filename="ruutu.png")
    return message.as_bytes()


def ingest(raw: bytes) -> InboundMessage:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def test_mail_with_a_program_becomes_a_ticket_with_the_program_kept_out(
    client, main_user, agent, admin_user, settings
):
    row = ingest(mail_with_program())
    ticket = row.ticket
    assert ticket is not None and ticket.messages.get().body_text.startswith("Liitteenä")
    blocked = ticket.attachments.get(filename="asennus.exe")
    assert blocked.blocked_type == "application/x-msdownload" and not blocked.file.name
    kept = ticket.attachments.get(filename="ruutu.png")
    assert not kept.is_blocked and kept.file.name
    event = ticket.events.get(kind=TicketEvent.Kind.ATTACHMENT_BLOCKED)
    assert event.actor is None
    texts = [line.text for line in ticket_history(ticket, for_customer=True)]
    assert (
        "did not attach asennus.exe from the e-mail: files of this type "
        "(application/x-msdownload) are not accepted, so nobody can download it"
    ) in texts

    url = f"/attachments/{blocked.key}/asennus.exe"
    for person in (main_user, agent, admin_user):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "asennus.exe" in page and url not in page
    message = ticket.messages.get()
    original = reverse("desk:message-original", args=[ticket.number, message.pk])
    assert client.get(original).status_code == 302  # the agent is told why, no download
    client.force_login(admin_user)
    download = client.get(original)
    assert download.status_code == 200 and download["Content-Type"] == "message/rfc822"
    listing = client.get(
        reverse("admin:tickets_attachment_changelist"), {"blocked_type__isempty": "0"}
    )
    assert "asennus.exe" in listing.content.decode() and "ruutu.png" not in listing.content.decode()


def test_the_api_lists_no_download_for_a_blocked_file(client, main_user):
    ticket = ingest(mail_with_program()).ticket
    _, token = ApiToken.issue(main_user)
    detail = client.get(
        f"/api/v1/tickets/{ticket.number}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [a["filename"] for a in detail["messages"][0]["attachments"]] == ["ruutu.png"]
