"""The desk's reply form at the product's limits: a form error in the agent's language, or
a page that says the limit; never a 500, nothing stored."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment

MIB = 1024 * 1024


def reply(client, ticket, upload):
    return client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {"body": "Liite", "is_internal": "0", "version": ticket.version, "attachments": [upload]},
    )


def file_ticket(requester):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject="s", body_text="Hi")
    ).ticket


def test_a_file_over_the_limit_is_a_form_error_in_the_agents_language(
    client, agent, main_user, default_upload_limits
):
    ticket = file_ticket(main_user)
    client.force_login(agent)  # Sanna reads Finnish
    response = reply(client, ticket, SimpleUploadedFile("dump.bin", b"0" * (10 * MIB + 1)))
    assert response.status_code == 400
    assert response.context["reply_form"].errors["attachments"] == [
        "”dump.bin” on liian suuri: tiedoston enimmäiskoko on 10 Mt."
    ]
    assert ticket.messages.count() == 1 and not Attachment.objects.exists()


def test_a_reply_too_large_to_read_gets_a_page_saying_the_limit(client, agent, main_user, settings):
    ticket = file_ticket(main_user)
    client.force_login(agent)
    size = settings.TIKETTI_MAX_REQUEST_BYTES + 1
    response = reply(client, ticket, SimpleUploadedFile("iso.bin", b"0" * size))
    assert response.status_code == 413
    assert "Kukin tiedosto saa olla enintään 1 Mt" in response.content.decode()
    assert ticket.messages.count() == 1 and not Attachment.objects.exists()
