"""Signed-in browsers: each person sees theirs on the profile page (browser, network cut to
its /24, when signed in and last active) and can end any, or all the others; ending one
really signs that browser out. A password change ends the others; sign-out removes the row."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tiketti.accounts.browser_sessions import describe_user_agent, network_of
from tiketti.accounts.models import BrowserSession

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
PROFILE = "/accounts/profile/"


def browser(user, user_agent, address):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "secret-pass"}
    )
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get(PROFILE).status_code == 200


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.57", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("not an address", ""),
    ],
)
def test_addresses_are_kept_only_as_their_network(address, network):
    assert network_of(address) == network


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX, {"browser": "Firefox 128", "operating_system": "Windows 10", "device": ""}),
        (IPHONE, {"browser": "Mobile Safari 17", "operating_system": "iOS 17", "device": "iPhone"}),
        ("", {"browser": "", "operating_system": "", "device": ""}),
    ],
)
def test_the_user_agent_says_browser_system_and_device(user_agent, expected):
    assert describe_user_agent(user_agent) == expected


def test_a_customer_sees_each_browser_they_are_signed_in_with(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    browser(main_user, IPHONE, "198.51.100.4")
    page = laptop.get(PROFILE)
    rows = list(page.context["browser_sessions"])
    assert [(row.browser, row.network) for row in rows] == [
        ("Mobile Safari 17", "198.51.100.0/24"),
        ("Firefox 128", "203.0.113.0/24"),
    ]
    text = page.content.decode()
    assert "203.0.113.57" not in text and "203.0.113.0/24" in text
    assert text.count('class="badge"') == 1  # "this browser", once


def test_ending_one_session_signs_that_browser_out(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    phone = browser(main_user, IPHONE, "198.51.100.4")
    phone_row = BrowserSession.objects.get(browser="Mobile Safari 17")
    response = laptop.post(reverse("accounts:session-end", args=[phone_row.pk]))
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert not Session.objects.filter(session_key=phone_row.session_key).exists()
    assert list(BrowserSession.objects.values_list("browser", flat=True)) == ["Firefox 128"]


def test_nobody_ends_someone_elses_session(main_user, ordinary_user):
    mine = browser(main_user, FIREFOX, "203.0.113.57")
    theirs = browser(ordinary_user, IPHONE, "198.51.100.4")
    their_row = BrowserSession.objects.get(user=ordinary_user)
    assert mine.post(reverse("accounts:session-end", args=[their_row.pk])).status_code == 404
    assert is_signed_in(theirs)


def test_signing_out_all_others_keeps_this_one(main_user, agent):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    others = [browser(main_user, IPHONE, f"198.51.100.{n}") for n in range(2)]
    colleague = browser(agent, FIREFOX, "192.0.2.1")
    laptop.post(reverse("accounts:sessions-end-others"))
    assert [is_signed_in(client) for client in others] == [False, False]
    assert is_signed_in(laptop) and is_signed_in(colleague)
    assert BrowserSession.objects.filter(user=main_user).count() == 1


def test_ending_this_browser_is_signing_out(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    row = BrowserSession.objects.get()
    response = laptop.post(reverse("accounts:session-end", args=[row.pk]))
    assert response["Location"] == reverse("accounts:login")
    assert not is_signed_in(laptop) and not BrowserSession.objects.exists()


def test_signing_out_removes_the_row(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    laptop.post(reverse("accounts:logout"))
    assert not BrowserSession.objects.exists()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    phone = browser(main_user, IPHONE, "198.51.100.4")
    response = laptop.post(
        reverse("accounts:password-change"),
        {
            "old_password": "secret-pass",
            "new_password1": "a-much-longer-secret-2026",
            "new_password2": "a-much-longer-secret-2026",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(laptop) and not is_signed_in(phone)
    [row] = BrowserSession.objects.all()
    assert row.browser == "Firefox 128"
    assert row.session_key == laptop.session.session_key


def test_last_active_is_written_at_most_every_few_minutes(main_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        laptop = browser(main_user, FIREFOX, "203.0.113.57")
    row = BrowserSession.objects.get()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        laptop.get(PROFILE)
    row.refresh_from_db()
    assert row.last_active_at == start
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        laptop.get(PROFILE)
        row.refresh_from_db()
        assert row.last_active_at == timezone.now()
        assert row.expires_at > timezone.now() + timedelta(days=13)


def test_a_quiet_request_writes_nothing(main_user):
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    laptop.get(PROFILE)
    with CaptureQueriesContext(connection) as captured:
        laptop.get(PROFILE)
    writes = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []


def test_an_admin_removing_a_second_factor_ends_the_persons_sessions(main_user, client):
    from tiketti.accounts.tests.factories import UserFactory
    from tiketti.accounts.two_factor import remove_second_factor

    admin = UserFactory(agent=True, admin=True, email="root@tiketti.example")
    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    remove_second_factor(user=main_user, actor=admin)
    assert not is_signed_in(laptop)


def test_a_password_set_by_reset_link_or_admin_ends_every_session(main_user, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    laptop = browser(main_user, FIREFOX, "203.0.113.57")
    main_user.refresh_from_db()  # the token covers the last sign-in
    uid = urlsafe_base64_encode(force_bytes(main_user.pk))
    token = default_token_generator.make_token(main_user)
    form = client.get(reverse("accounts:password-reset-confirm", args=[uid, token]))
    new = "a-much-longer-secret-2026"
    done = client.post(form["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert not is_signed_in(laptop) and not BrowserSession.objects.exists()

    main_user.refresh_from_db()
    again = Client()
    again.post(reverse("accounts:login"), {"username": main_user.email, "password": new})
    assert is_signed_in(again)
    main_user.set_password("set-by-an-admin-2026")
    main_user.save()
    assert not is_signed_in(again) and not BrowserSession.objects.exists()
