"""Sign-in lock-out: per account and per client address, with a translated message that
says when to try again; the right password is refused while locked; time unlocks it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tiketti.accounts.tests.factories import ContactFactory

LOGIN = "/accounts/login/"


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_MINUTES = 15
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return settings


def test_repeated_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    client, main_user, limits
):
    for _ in range(4):
        assert sign_in(client, main_user.email, "wrong").status_code == 200
    locked = sign_in(client, main_user.email, "wrong")
    assert locked.status_code == 429
    assert "try again at" in locked.content.decode()
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60

    refused = sign_in(client, main_user.email, "secret-pass")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another letter case is the same account, from another address too.
    elsewhere = sign_in(client, main_user.email.upper(), "secret-pass", ip="198.51.100.9")
    assert elsewhere.status_code == 429


def test_the_account_opens_again_after_the_cool_off(client, main_user, limits):
    for _ in range(5):
        sign_in(client, main_user.email, "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = sign_in(client, main_user.email, "secret-pass")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(main_user.pk)


def test_a_successful_sign_in_clears_the_count(client, main_user, limits):
    for _ in range(4):
        sign_in(client, main_user.email, "wrong")
    assert sign_in(client, main_user.email, "secret-pass").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, main_user.email, "wrong").status_code == 200
    assert sign_in(client, main_user.email, "secret-pass").status_code == 302


def test_one_address_guessing_many_accounts_is_locked_out(client, organisation, limits):
    people = [ContactFactory(organisation=organisation) for _ in range(6)]
    for person in people[:5]:
        sign_in(client, person.email, "wrong", ip="192.0.2.50")
    assert sign_in(client, people[5].email, "secret-pass", ip="192.0.2.50").status_code == 429
    # The same person from another address is not held by that address's lock-out.
    assert sign_in(client, people[5].email, "secret-pass", ip="192.0.2.51").status_code == 302


def test_the_lock_out_message_is_translated(client, main_user, limits):
    for _ in range(5):
        sign_in(client, main_user.email, "wrong")
    for language, words in (("fi", "Liian monta"), ("pl", "Zbyt wiele")):
        client.cookies["tiketti_language"] = language
        page = sign_in(client, main_user.email, "secret-pass")
        assert page.status_code == 429
        assert words in page.content.decode()


def test_the_admin_sign_in_is_locked_out_too(client, db, limits):
    from tiketti.accounts.tests.factories import UserFactory

    admin = UserFactory(agent=True, admin=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": admin.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    response = client.post(
        url, {"username": admin.email, "password": "secret-pass"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
