"""No page of the desk or the portal scrolls sideways, on a laptop or on a phone, with the
demo's own data (long Finnish and Polish subjects, names and categories)."""

import pytest

from tiketti.knowledge.models import Article
from tiketti.operations.demo import DEMO_PASSWORD, load_demo_data
from tiketti.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1440, 390)
AGENT = "agent@tiketti.example"
CUSTOMER = "maija.virtanen@aurora.example"

WIDER_THAN_WINDOW = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(node => node.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(node => node.tagName + '.' + node.className);
}"""


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def overflow(page, url: str) -> tuple[int, int, list[str]]:
    page.goto(url)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    return scroll_width, inner_width, page.evaluate(WIDER_THAN_WINDOW)


def assert_no_sideways_scroll(page, urls: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            scroll_width, inner_width, culprits = overflow(page, url)
            assert scroll_width <= inner_width, (width, url, scroll_width, culprits)


@pytest.fixture
def demo(db):
    assert load_demo_data()
    # The ticket with the longest history and thread, as an agent opens it every day.
    return max(Ticket.objects.all(), key=lambda ticket: ticket.events.count())


def test_desk_pages_fit_the_window_at_every_width(page, live_server, demo):
    log_in(page, live_server.url, AGENT)
    assert_no_sideways_scroll(
        page,
        [
            f"{live_server.url}/desk/",
            f"{live_server.url}/desk/?status=",
            f"{live_server.url}/desk/tickets/{demo.number}/",
            f"{live_server.url}/desk/ideas/",
            f"{live_server.url}/desk/notices/",
        ],
    )


def test_ticket_numbers_never_wrap_in_the_queue(page, live_server, demo):
    log_in(page, live_server.url, AGENT)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/desk/?status=")
        links = page.locator("a.ticket-link")
        assert links.count() >= 5
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            line_height = links.nth(index).evaluate(
                "node => parseFloat(getComputedStyle(node).lineHeight)"
            )
            assert box["height"] < 1.5 * line_height, (width, links.nth(index).inner_text())


def test_portal_pages_fit_the_window_at_every_width(page, live_server, demo):
    mine = Ticket.objects.filter(requester__email=CUSTOMER).first()
    article = Article.objects.published().order_by("pk").first()
    log_in(page, live_server.url, CUSTOMER)
    assert_no_sideways_scroll(
        page,
        [
            f"{live_server.url}/requests/",
            f"{live_server.url}/requests/?show=closed",
            f"{live_server.url}/requests/new/",
            f"{live_server.url}/requests/{mine.number}/",
            f"{live_server.url}/requests/{mine.number}/close/",
            f"{live_server.url}/accounts/profile/",
            f"{live_server.url}/accounts/password/",
            f"{live_server.url}/help/",
            f"{live_server.url}/help/articles/{article.slug}/",
            f"{live_server.url}/help/{article.section.slug}/",
        ],
    )


def test_the_assistant_comes_before_the_send_button_on_a_phone(page, live_server, demo):
    log_in(page, live_server.url, CUSTOMER)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/requests/new/")
    page.locator("#id_subject").fill("salasana unohtui")
    page.locator("#assistant .suggestion").first.wait_for()
    assistant = page.locator("#assistant").bounding_box()
    send = page.locator("#request-submit").bounding_box()
    assert assistant["y"] + assistant["height"] <= send["y"]
    # And in the order a keyboard reaches them.
    follows = page.evaluate(
        "document.querySelector('#assistant')"
        ".compareDocumentPosition(document.querySelector('#request-submit'))"
    )
    assert follows & 4  # Node.DOCUMENT_POSITION_FOLLOWING
