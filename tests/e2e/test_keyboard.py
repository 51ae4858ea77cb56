"""The desk by keyboard alone: the `?` overlay lists the shortcuts (a modal dialog: focus
stays inside, Esc closes it, focus goes back), and single-key shortcuts can be turned off
there or on the profile page (WCAG 2.1.4), stored for the person on the server."""

import pytest

from tiketti.accounts.models import User
from tiketti.operations.demo import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENT = "agent@tiketti.example"

ACTIVE_IN_DIALOG = "document.activeElement.closest('#keyboard-help') !== null"
ACTIVE_TICKET_LINK = "document.activeElement.classList.contains('ticket-link')"


@pytest.fixture
def agent(db):
    assert load_demo_data()
    return User.objects.get(email=AGENT)


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(AGENT)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{base_url}/desk/")
    page.wait_for_load_state()


def test_question_mark_opens_the_shortcut_list_as_a_proper_dialog(page, live_server, agent):
    log_in(page, live_server.url)
    page.keyboard.press("j")
    page.keyboard.press("j")
    opener = page.evaluate("document.activeElement.textContent")
    assert page.evaluate(ACTIVE_TICKET_LINK)

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Pikanäppäimet")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "Seuraava tiketti" in text and "Kirjoita vastaus" in text  # in Finnish
    assert page.evaluate(ACTIVE_IN_DIALOG)
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        page.keyboard.press(key)
        assert page.evaluate(ACTIVE_IN_DIALOG), key
    page.keyboard.press("j")  # the shortcuts rest while the dialog is open
    assert page.evaluate(ACTIVE_IN_DIALOG)

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate(ACTIVE_TICKET_LINK)
    assert page.evaluate("document.activeElement.textContent") == opener


def test_escape_leaves_the_search_box_so_the_keys_work_again(page, live_server, agent):
    log_in(page, live_server.url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("j")  # typed into the box, not a shortcut
    assert page.locator("#id_q").input_value() == "j"
    page.keyboard.press("Backspace")  # the whole queue again, so nothing is searched
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("j")
    assert page.evaluate(ACTIVE_TICKET_LINK)


def test_shortcuts_turned_off_in_the_overlay_stay_off(page, live_server, agent):
    log_in(page, live_server.url)
    button = page.get_by_role("button", name="Pikanäppäimet")
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "keyboard-enabled"
    page.keyboard.press("Space")  # untick "use single-key shortcuts"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Save
    status = page.locator("#keyboard-setting-status")
    status.get_by_text("pois käytöstä").wait_for()
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is False
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent") == "Pikanäppäimet"

    page.keyboard.press("Tab")
    page.keyboard.press("j")
    assert not page.evaluate(ACTIVE_TICKET_LINK)

    page.reload()  # stored on the server: still off on the next page
    page.locator("body").press("j")
    page.keyboard.press("?")
    assert not page.evaluate(ACTIVE_TICKET_LINK)
    assert not page.locator("#keyboard-help").is_visible()


def test_shortcuts_are_turned_back_on_from_the_profile_page(page, live_server, agent):
    agent.uses_keyboard_shortcuts = False
    agent.save(update_fields=["uses_keyboard_shortcuts"])
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/accounts/profile/")
    checkbox = page.get_by_label("Käytä tukinäkymässä yhden näppäimen pikanäppäimiä")
    assert not checkbox.is_checked()
    checkbox.focus()
    page.keyboard.press("Space")
    for _ in range(4):  # past the profile's other fields, if any, to its button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert checkbox.is_checked()
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is True
    page.goto(f"{live_server.url}/desk/")
    page.keyboard.press("j")
    assert page.evaluate(ACTIVE_TICKET_LINK)


@pytest.mark.parametrize("width", [320, 390])
def test_the_overlay_fits_a_phone(page, live_server, agent, width):
    page.set_viewport_size({"width": width, "height": 700})
    log_in(page, live_server.url)
    page.get_by_role("button", name="Pikanäppäimet").click()
    box = page.locator("#keyboard-help").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
