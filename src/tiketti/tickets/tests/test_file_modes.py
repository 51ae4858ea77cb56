"""Stored attachments can hold personal data: only the service user may read them,
whichever channel stored them (FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS)."""

import os
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tiketti.api.models import ApiToken
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment


@pytest.fixture(autouse=True)
def usual_umask():
    """A process umask that lets others read new files (022, the common default): modes
    must not depend on whoever started the process."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(attachment: Attachment) -> tuple[int, int]:
    path = Path(attachment.file.path)
    return stat.S_IMODE(path.stat().st_mode), stat.S_IMODE(path.parent.stat().st_mode)


def test_a_mailed_attachment_is_readable_by_the_service_user_only(main_user):
    message = EmailMessage()
    message["From"] = main_user.email
    message["To"] = "support@tiketti.localhost"
    message["Subject"] = "Liite"
    message.set_content("Katso liite.")
    message.add_attachment(b"mail bytes", maintype="application", subtype="pdf", filename="a.pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(message.as_bytes(), via=InboundMessage.Via.PIPE)
        inbound.process(row.pk)
    assert modes(Attachment.objects.get()) == (0o600, 0o700)


def test_a_portal_upload_is_readable_by_the_service_user_only(client, main_user, category):
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "subject": "s",
            "category": category.pk,
            "description": "d",
            "attachments": [SimpleUploadedFile("portal.txt", b"portal bytes")],
        },
    )
    assert response.status_code == 302
    assert modes(Attachment.objects.get()) == (0o600, 0o700)


def test_an_api_upload_is_readable_by_the_service_user_only(client, main_user):
    ticket = submit_request(
        IntakeRequest(channel="api", requester=main_user, subject="s", body_text="b")
    ).ticket
    _, token = ApiToken.issue(main_user)
    response = client.post(
        f"/api/v1/tickets/{ticket.number}/attachments",
        {"files": [SimpleUploadedFile("api.txt", b"api bytes")]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    assert modes(Attachment.objects.get()) == (0o600, 0o700)
