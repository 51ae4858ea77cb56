"""WCAG 2.1 AA in a real browser, on the demo's data in Finnish: axe-core finds nothing on
the main pages of the portal, the help center and the desk; the pages reflow at 320 px;
focus survives htmx swaps; the assistant's live region stays in the page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tiketti.accounts.models import User
from tiketti.contracts.entitlements import eligible_entitlements
from tiketti.knowledge.models import Article
from tiketti.operations.demo import DEMO_PASSWORD, load_demo_data
from tiketti.tickets.models import Ticket

from .accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "maija.virtanen@aurora.example"
LEAD = "lead@tiketti.example"  # a team lead: the desk and its reports, in Finnish


@pytest.fixture
def demo(db):
    assert load_demo_data()
    customer_ticket = Ticket.objects.filter(requester__email=CUSTOMER).order_by("pk").first()
    # The desk ticket with the longest thread and history, as agents see it every day.
    busiest = max(Ticket.objects.all(), key=lambda ticket: ticket.events.count())
    article = Article.objects.filter(is_internal=False).order_by("pk").first()
    return {"customer_ticket": customer_ticket, "busiest": busiest, "article": article}


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def show_suggestions(page) -> None:
    page.locator("#id_subject").press_sequentially("salasanan vaihtaminen", delay=30)
    page.locator("#assistant .suggestion").first.wait_for()
    page.wait_for_load_state("networkidle")


def portal_pages(base: str, demo) -> list[str]:
    return [
        f"{base}/",
        f"{base}/requests/",
        f"{base}/requests/new/",
        f"{base}/requests/{demo['customer_ticket'].number}/",
        f"{base}/help/",
        f"{base}/help/articles/{demo['article'].slug}/",
    ]


def desk_pages(base: str, demo) -> list[str]:
    return [
        f"{base}/desk/",
        f"{base}/desk/tickets/{demo['busiest'].number}/",
        f"{base}/desk/new/",
        f"{base}/desk/reports/",
        f"{base}/desk/mail/",
    ]


def test_anonymous_pages_have_no_axe_violations(page, live_server, demo):
    for url in [
        f"{live_server.url}/accounts/login/",
        f"{live_server.url}/status/",
        f"{live_server.url}/help/",
    ]:
        page.goto(url)
        assert_accessible(page, url)


def test_portal_and_help_center_have_no_axe_violations(page, live_server, demo):
    log_in(page, live_server.url, CUSTOMER)
    for url in portal_pages(live_server.url, demo):
        page.goto(url)
        assert_accessible(page, url)
    page.goto(f"{live_server.url}/requests/new/")
    show_suggestions(page)
    assert_accessible(page, "the request form with the assistant's suggestions")


def test_bookings_and_the_slot_picker_have_no_axe_violations(page, live_server, demo):
    # A main user with a session left to book on the demo's data (which one depends on today).
    today = timezone.localdate()
    booker = next(
        user
        for user in User.objects.filter(customer_role="main_user").order_by("pk")
        if eligible_entitlements(user.organisation, today)
    )
    log_in(page, live_server.url, booker.email)
    page.goto(f"{live_server.url}/bookings/")
    assert_accessible(page, "/bookings/")
    picker = page.evaluate(
        "[...document.querySelectorAll('main a')].map(link => link.pathname)"
        ".find(path => /^[/]bookings[/][0-9]+[/]$/.test(path))"
    )
    assert picker, "no session to book on the bookings page"
    page.goto(f"{live_server.url}{picker}")
    assert_accessible(page, "the slot picker")


def test_desk_pages_have_no_axe_violations(page, live_server, demo):
    log_in(page, live_server.url, LEAD)
    for url in desk_pages(live_server.url, demo):
        page.goto(url)
        assert_accessible(page, url)
    page.goto(f"{live_server.url}/desk/")
    page.keyboard.press("?")
    page.locator("#keyboard-help").wait_for()
    assert_accessible(page, "the desk with the keyboard-shortcut overlay open")


def test_every_page_reflows_at_320_px(page, live_server, demo):
    """WCAG 1.4.10: nothing scrolls sideways at 320 CSS px (1280 px at 400 % zoom)."""
    page.set_viewport_size({"width": 320, "height": 640})
    wider = "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    culprits = """() => [...document.querySelectorAll('body *')]
        .filter(node => node.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(node => node.tagName + '.' + node.className)"""
    pages = {None: [f"{live_server.url}/accounts/login/", f"{live_server.url}/status/"]}
    pages[CUSTOMER] = portal_pages(live_server.url, demo)
    pages[LEAD] = desk_pages(live_server.url, demo)
    for email, urls in pages.items():
        if email:
            page.context.clear_cookies()
            log_in(page, live_server.url, email)
        for url in urls:
            page.goto(url)
            assert page.evaluate(wider) <= 0, (url, page.evaluate(culprits))


def test_the_properties_status_has_its_own_label_and_focus_stays_after_saving(
    page, live_server, demo
):
    log_in(page, live_server.url, LEAD)
    page.goto(f"{live_server.url}/desk/tickets/{demo['busiest'].number}/")
    # Its own label names it (the reply form's status select has another label and id).
    status = page.get_by_role("combobox", name=re.compile(r"^Tila:?$"))
    assert status.evaluate("node => node.closest('#properties') !== null")
    duplicates = page.evaluate(
        "[...document.querySelectorAll('[id]')].map(node => node.id)"
        ".filter((id, index, all) => all.indexOf(id) !== index)"
    )
    assert duplicates == []
    # "Insert link" buttons: the name begins with the visible text (WCAG 2.5.3).
    inserts = page.locator(".kb-insert")
    assert inserts.count() >= 1
    for index in range(inserts.count()):
        visible = inserts.nth(index).evaluate(
            "node => [...node.childNodes].filter(child => child.nodeType === Node.TEXT_NODE)"
            ".map(child => child.textContent).join('').trim()"
        )
        assert visible == "Lisää linkki"
        name = re.compile("^" + re.escape(visible) + r" ?: .+")
        assert page.get_by_role("button", name=name).nth(index).is_visible()
    page.locator("#properties").get_by_label("Prioriteetti").select_option("high")
    save = page.locator("#properties button[type=submit]")
    save.focus()
    page.keyboard.press("Enter")
    page.locator("#properties .saved").wait_for()
    # The swapped-in form's Save button has focus again, and the message is in the live region.
    expect(page.locator("#properties button[type=submit]")).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("päivitetty")


def test_focus_moves_to_the_thanks_after_article_feedback(page, live_server, demo):
    page.goto(f"{live_server.url}/help/articles/{demo['article'].slug}/")
    page.locator("#feedback button[value=yes]").focus()
    page.keyboard.press("Enter")
    page.locator("#feedback [role=status]").wait_for()
    expect(page.locator("#feedback")).to_be_focused()


def test_the_assistant_live_region_stays_and_comes_before_the_send_button(page, live_server, demo):
    log_in(page, live_server.url, CUSTOMER)
    page.goto(f"{live_server.url}/requests/new/")
    region = page.locator("#assistant")
    assert region.get_attribute("aria-live") == "polite"
    assert region.is_visible() or region.evaluate("node => getComputedStyle(node).display") != (
        "none"
    )
    page.evaluate("document.getElementById('assistant').dataset.original = 'yes'")
    show_suggestions(page)
    # The same node, still in the page: only its content was swapped.
    assert page.locator("#assistant[data-original=yes] .suggestion").count() >= 1
    # Tab from the last field reaches the suggestions before the send button.
    page.locator("#id_description").focus()
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "document.activeElement.id === 'request-submit' ? 'submit' : "
            "(document.activeElement.closest('#assistant') ? 'suggestion' : 'other')"
        )
        order.append(where)
        if where == "submit":
            break
    assert "suggestion" in order
    assert order.index("suggestion") < order.index("submit")


def test_the_checker_reports_a_violation_it_is_shown(page, live_server, demo):
    """The check above can fail: an unlabelled field added to a clean page is reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "document.querySelector('main form').append(Object.assign("
        "document.createElement('input'), {type: 'text', name: 'unlabelled'}))"
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page, "the login page with an unlabelled field")


def test_focus_moves_to_the_thanks_when_a_suggestion_solved_it(page, live_server, demo):
    log_in(page, live_server.url, CUSTOMER)
    page.goto(f"{live_server.url}/requests/new/")
    show_suggestions(page)
    page.locator("#assistant .solved-button").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#request-flow.solved")).to_be_focused()
    expect(page.locator("#live-status")).to_contain_text("Hienoa")
