"""The request form's uploads at the product's limits: a form error or a page that says
the limit, in the customer's language; never a 500, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiketti.tickets.models import Attachment, Ticket

MIB = 1024 * 1024


def test_a_file_over_the_limit_is_a_form_error_in_the_customers_language(
    client, main_user, category, default_upload_limits
):
    client.force_login(main_user)  # Maija reads Finnish
    too_big = SimpleUploadedFile("iso kuva.png", b"0" * (10 * MIB + 1))
    response = client.post(
        reverse("portal:ticket-new"),
        {"subject": "s", "category": category.pk, "description": "d", "attachments": [too_big]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "”iso kuva.png” on liian suuri: tiedoston enimmäiskoko on 10 Mt."
    ]
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_a_file_at_the_limit_is_accepted(client, main_user, category, default_upload_limits):
    client.force_login(main_user)
    at_limit = SimpleUploadedFile("loki.txt", b"0" * (10 * MIB))
    response = client.post(
        reverse("portal:ticket-new"),
        {"subject": "s", "category": category.pk, "description": "d", "attachments": [at_limit]},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().size == 10 * MIB


@pytest.mark.parametrize("too_large", ["description", "file", "file count"])
def test_a_request_too_large_to_read_gets_a_page_saying_the_limit(
    main_user, category, settings, too_large
):
    """Past Django's limits nothing of the request is read, the CSRF token included: the
    answer is a page that says the limit (and that nothing was saved), not a 400 or 500."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(main_user)
    browser.get(reverse("portal:ticket-new"))
    fields = {
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        "subject": "s",
        "category": category.pk,
        "description": "d",
    }
    if too_large == "description":
        fields["description"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    elif too_large == "file":
        size = settings.TIKETTI_MAX_REQUEST_BYTES + 1
        fields["attachments"] = [SimpleUploadedFile("iso.bin", b"0" * size)]
    else:
        settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
        fields["attachments"] = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)]
    response = browser.post(reverse("portal:ticket-new"), fields)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Liian suuri" in page
    assert "Kukin tiedosto saa olla enintään 1 Mt" in page
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
