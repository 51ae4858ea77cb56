"""Second factor: required for staff on every staff URL, set up with an authenticator app
and backup codes, optional for customers, removable by admins (audited)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiketti.accounts.tests.factories import UserFactory
from tiketti.audit.models import AuditEntry

from .test_cache_control import named_routes, url_of

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def staff_need_a_second_factor(settings):
    settings.TIKETTI_STAFF_2FA_REQUIRED = True


@pytest.fixture
def staff(db):
    return UserFactory(agent=True, email="sanna@tiketti.example", language="en")


def app_code(user, at=None):
    device = TOTPDevice.objects.get(user=user, confirmed__in=[True, False])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    return client.post(LOGIN, {"username": user.email, "password": "secret-pass"})


def set_up(client, user):
    """Enrol an authenticator app; returns the backup codes."""
    client.get(reverse("accounts:two-factor-setup"))
    page = client.post(reverse("accounts:two-factor-setup"), {"token": app_code(user)})
    assert page.status_code == 200
    return page.context["codes"]


def test_staff_are_sent_to_set_up_an_app_after_their_password(client, staff):
    response = sign_in(client, staff)
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("accounts:two-factor-setup"))
    page = client.get(follow["Location"])
    assert page.status_code == 200
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    assert len(page.context["secret"].replace(" ", "")) == 32


def test_every_staff_url_waits_for_the_second_factor(client, staff, main_user):
    from tiketti.tickets.intake import IntakeRequest, submit_request

    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="S", body_text="B")
    ).ticket
    values = {
        "number": ticket.number,
        "message_id": str(ticket.messages.first().pk),
        "app_label": "accounts",
        "model_name": "user",
        "object_id": str(staff.pk),
        "content_type_id": "1",
        "slug": "x",
        "section": "x",
    }
    sign_in(client, staff)
    open_pages = []
    for route in named_routes():
        if not route.name.startswith(("desk:", "admin:", "portal:", "contracts:")):
            continue
        response = client.get(url_of(route, values))
        if response.status_code != 302 or "/accounts/two-factor/" not in response["Location"]:
            open_pages.append(f"{route.name} ({response.status_code})")
    assert open_pages == []
    api = client.get("/api/v1/tickets")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"


def test_after_set_up_the_desk_opens_and_backup_codes_are_given(client, staff):
    sign_in(client, staff)
    codes = set_up(client, staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("desk:queue")).status_code == 200
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.SECOND_FACTOR_ENROLLED)
    assert entry.actor == staff


def test_the_next_sign_in_asks_for_a_code_and_refuses_a_wrong_one(client, staff):
    sign_in(client, staff)
    codes = set_up(client, staff)
    client.logout()
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        sign_in(client, staff)
        desk = client.get(reverse("desk:queue"))
        assert desk["Location"].startswith(reverse("accounts:two-factor-verify"))
        wrong = client.post(reverse("accounts:two-factor-verify"), {"token": "000000"})
        assert wrong.status_code == 400
        assert client.get(reverse("desk:queue")).status_code == 302
    with time_machine.travel(later + timedelta(seconds=5), tick=False):
        right = client.post(
            reverse("accounts:two-factor-verify"),
            {"token": app_code(staff, at=later + timedelta(seconds=5)), "next": "/desk/"},
        )
        assert right.status_code == 302 and right["Location"] == "/desk/"
        assert client.get(reverse("desk:queue")).status_code == 200

    client.logout()
    with time_machine.travel(later + timedelta(minutes=5), tick=False):
        sign_in(client, staff)
        assert (
            client.post(reverse("accounts:two-factor-verify"), {"token": codes[0]}).status_code
            == 302
        )
        assert client.get(reverse("desk:queue")).status_code == 200
    client.logout()
    with time_machine.travel(later + timedelta(minutes=10), tick=False):
        sign_in(client, staff)
        used_again = client.post(reverse("accounts:two-factor-verify"), {"token": codes[0]})
        assert used_again.status_code == 400


def test_customers_may_sign_in_without_one_and_may_turn_it_on(client, main_user):
    sign_in(client, main_user)
    assert client.get(reverse("portal:ticket-list")).status_code == 200
    set_up(client, main_user)
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        sign_in(client, main_user)
        response = client.get(reverse("portal:ticket-list"))
        assert response["Location"].startswith(reverse("accounts:two-factor-verify"))


def test_a_customer_turns_it_off_with_a_current_code(client, main_user):
    sign_in(client, main_user)
    set_up(client, main_user)
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        client.post(reverse("accounts:two-factor"), {"token": app_code(main_user, at=later)})
    assert not TOTPDevice.objects.filter(user=main_user).exists()
    client.logout()
    sign_in(client, main_user)
    assert client.get(reverse("portal:ticket-list")).status_code == 200


def test_staff_cannot_turn_it_off_themselves(client, staff):
    sign_in(client, staff)
    set_up(client, staff)
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        client.post(reverse("accounts:two-factor"), {"token": app_code(staff, at=later)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_an_admin_removes_a_members_second_factor_and_it_is_recorded(client, staff):
    sign_in(client, staff)
    set_up(client, staff)
    client.logout()
    admin = UserFactory(agent=True, admin=True, email="root@tiketti.example")
    sign_in(client, admin)
    set_up(client, admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [staff.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.SECOND_FACTOR_RESET)
    assert entry.actor == admin and entry.target_id == str(staff.pk)
    client.logout()
    sign_in(client, staff)
    follow = client.get(reverse("desk:queue"))
    assert follow["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_the_pages_speak_finnish_and_polish(client, staff):
    sign_in(client, staff)
    for language, words in (("fi", "toinen tunnistustekijä"), ("pl", "drugi składnik")):
        staff.language = language
        staff.save()
        page = client.get(reverse("accounts:two-factor-setup"))
        with translation.override(language):
            assert words in page.content.decode().lower()


def test_no_admin_page_shows_anyones_authenticator_secret(client, db, settings):
    from django.contrib import admin

    settings.TIKETTI_STAFF_2FA_REQUIRED = False

    assert not [model for model in admin.site._registry if model._meta.app_label.startswith("otp_")]
    client.force_login(UserFactory(agent=True, admin=True))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_an_admin_removes_one_members_second_factor_from_their_page(client, staff):
    sign_in(client, staff)
    set_up(client, staff)
    staff_browser = client
    from django.test import Client

    admin_browser = Client()
    admin = UserFactory(agent=True, admin=True, email="root@tiketti.example", language="en")
    sign_in(admin_browser, admin)
    set_up(admin_browser, admin)
    change = admin_browser.get(reverse("admin:accounts_user_change", args=[staff.pk]))
    remove_url = reverse("admin:accounts_user_remove_second_factor", args=[staff.pk])
    assert "10 backup codes left" in change.content.decode()
    assert remove_url in change.content.decode()
    confirm = admin_browser.get(remove_url)
    assert confirm.status_code == 200 and staff.email in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=staff).exists()  # asking is not doing
    done = admin_browser.post(remove_url)
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.SECOND_FACTOR_RESET)
    assert entry.actor == admin and entry.target_id == str(staff.pk)
    # Their sessions ended: the next sign-in asks them to set up a new app.
    assert staff_browser.get(reverse("desk:queue"))["Location"].startswith(LOGIN)
    sign_in(staff_browser, staff)
    follow = staff_browser.get(reverse("desk:queue"))
    assert follow["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_the_list_of_people_shows_who_has_a_second_factor_without_a_query_each(
    client, staff, settings, django_assert_num_queries
):
    from tiketti.accounts.tests.factories import ContactFactory

    sign_in(client, staff)
    set_up(client, staff)
    client.logout()
    settings.TIKETTI_STAFF_2FA_REQUIRED = False
    admin = UserFactory(agent=True, admin=True, email="root@tiketti.example", language="en")
    client.force_login(admin)
    url = reverse("admin:accounts_user_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        ContactFactory(email=f"c{number}@aurora.example")
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    listed = {person.email: person.has_app for person in page.context["cl"].result_list}
    assert listed[staff.email] is True and listed["c0@aurora.example"] is False


def test_agents_cannot_remove_anyones_second_factor(client, staff, settings):
    settings.TIKETTI_STAFF_2FA_REQUIRED = False
    other = UserFactory(agent=True, email="other@tiketti.example")
    client.force_login(other)
    url = reverse("admin:accounts_user_remove_second_factor", args=[staff.pk])
    assert client.post(url).status_code == 403
