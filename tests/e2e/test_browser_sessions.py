"""A customer signed in on two browsers signs the other one out from the profile page, by
keyboard, and that browser is at the sign-in page at its next click."""

import pytest

from tiketti.operations.demo import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "maija.virtanen@aurora.example"


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(CUSTOMER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_signing_out_the_other_browser_from_the_profile(page, browser, live_server, db):
    assert load_demo_data()
    other_context = browser.new_context()
    other = other_context.new_page()
    try:
        log_in(page, live_server.url)
        log_in(other, live_server.url)
        other.goto(f"{live_server.url}/requests/")
        assert "/accounts/login/" not in other.url

        page.goto(f"{live_server.url}/accounts/profile/")
        assert page.locator(".browser-session").count() == 2
        end_others = page.locator("form[action$='/sessions/end-others/'] button")
        end_others.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".browser-session").count() == 1
        assert page.locator(".messages").is_visible()

        other.goto(f"{live_server.url}/requests/")
        assert "/accounts/login/" in other.url
    finally:
        other_context.close()
