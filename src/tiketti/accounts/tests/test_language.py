"""The header's language switch changes the pages only; the language of a person's
e-mails is changed on their profile page."""

import pytest
from django.conf import settings
from django.urls import reverse

from tiketti.mail.models import OutgoingEmail
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request

pytestmark = pytest.mark.django_db


def page_language(client, url):
    return client.get(url)["Content-Language"]


def test_the_header_switch_changes_the_pages_not_the_stored_language(
    client, main_user, agent, django_capture_on_commit_callbacks
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="500")
    ).ticket
    client.force_login(main_user)  # Maija: Finnish
    response = client.post(
        reverse("accounts:set-language"), {"language": "pl", "next": "/requests/"}
    )
    assert response.status_code == 302 and response["Location"] == "/requests/"
    assert page_language(client, reverse("portal:ticket-list")) == "pl"
    main_user.refresh_from_db()
    assert main_user.language == "fi"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(ticket=ticket, author=agent, body_text="Korjattu", channel="portal")
    answer = OutgoingEmail.objects.filter(to=main_user.email).latest("pk")
    assert answer.language == "fi"  # her next e-mail is still in Finnish


def test_the_profile_page_changes_the_language_of_pages_and_e_mails(client, main_user):
    client.force_login(main_user)
    client.post(reverse("accounts:set-language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="language"' in page and '<option value="fi" selected>' in page
    response = client.post(reverse("accounts:profile"), {"language": "pl"}, follow=True)
    assert "Zapisano ustawienia." in response.content.decode()
    main_user.refresh_from_db()
    assert main_user.language == "pl"
    assert page_language(client, reverse("portal:ticket-list")) == "pl"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"


def test_the_profile_refuses_an_unknown_language(client, main_user):
    client.force_login(main_user)
    response = client.post(reverse("accounts:profile"), {"language": "xx"})
    assert response.status_code == 200 and response.context["form"].errors["language"]
    main_user.refresh_from_db()
    assert main_user.language == "fi"


def test_the_profile_page_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
