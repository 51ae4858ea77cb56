"""A customer reports an acute incident in the portal: they see the on-call number at once,
the ticket lands with their organisation's own expert, who finds it in the desk's notices
with the customer panel beside it, at desktop and phone widths."""

import re

import pytest

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.contracts.models import Plan
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets.models import Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Salasana-2026!"
ON_CALL = "+358 9 4242 4242"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, url, email):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_acute_request_reaches_the_customers_expert(
    page, live_server, settings, default_routing_rules
):
    settings.TIKETTI_BASE_URL = live_server.url
    expert = UserFactory(
        agent=True,
        email="sam@tiketti.example",
        display_name="Sam Expert",
        language="en",
        password=PASSWORD,
        notification_delivery=User.Delivery.DESK,
    )
    organisation = OrganisationFactory(
        name="Northwind",
        domain="northwind.example",
        language="en",
        notes="Shop on WooCommerce 8; payments through a patched plugin.",
    )
    organisation.expert = expert
    organisation.save()
    Plan.objects.filter(contracts__organisation=organisation).update(on_call_phone=ON_CALL)
    ContactFactory(
        organisation=organisation,
        main=True,
        email="emma@northwind.example",
        language="en",
        password=PASSWORD,
    )
    CategoryFactory(slug="bug", name_en="Error report")

    log_in(page, live_server.url, "emma@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New request").click()
    page.get_by_label("Subject").fill("Our shop is down")
    page.get_by_label("Category").select_option(label="Error report")
    page.get_by_label("Description").fill("Every page answers 502 since 10:00.")
    page.get_by_label("Acute: our site is down or under attack").check()
    page.get_by_role("button", name=re.compile("Send")).click()
    page.wait_for_url(re.compile(r"/requests/[A-Z]+-\d+/$"))
    assert ON_CALL in page.locator(".messages").inner_text()
    ticket = Ticket.objects.get()
    assert (ticket.assignee, ticket.is_acute) == (expert, True)
    acknowledgement = OutgoingEmail.objects.get(template="acknowledgement")
    assert ON_CALL in acknowledgement.body_text

    page.context.clear_cookies()
    log_in(page, live_server.url, "sam@tiketti.example")
    notices = page.locator(".notices-link")
    assert notices.locator(".badge").inner_text() == "1"
    notices.click()
    page.get_by_role("link", name=ticket.number).click()
    panel = page.locator("#customer-panel")
    assert "Northwind" in panel.inner_text()
    assert "patched plugin" in panel.inner_text()
    assert "Sam Expert" in panel.inner_text()
    assert "routed to Sam Expert by the rule" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, scroll
