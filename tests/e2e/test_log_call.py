"""An agent logs a phone call in the desk: the number finds the caller as it is typed,
the call becomes a phone ticket, and the caller gets the acknowledgement by e-mail."""

import re

import pytest
from django.core import mail

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Salasana-2026!"


@pytest.fixture
def page(browser):
    """This journey runs in English (the shared fixture's browser speaks Finnish)."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_agent_logs_a_call_from_a_known_number(page, live_server, settings):
    settings.TIKETTI_BASE_URL = live_server.url
    organisation = OrganisationFactory(name="Northwind", domain="northwind.example", language="en")
    caller = ContactFactory(
        organisation=organisation,
        main=True,
        email="emma@northwind.example",
        display_name="Emma Stone",
        language="en",
        phone="+358 40 765 4321",
    )
    UserFactory(agent=True, email="sam@tiketti.example", language="en", password=PASSWORD)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("sam@tiketti.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="New ticket / log a call").click()

    page.get_by_label("Caller's phone number").fill("040 7654321")
    page.locator(".caller-contact").filter(has_text="emma@northwind.example").wait_for()
    page.get_by_label("What the caller said").fill("The shop is down.\nCustomers see error 502.")
    page.get_by_label("Acute: the system is down or cannot be used").check()
    page.get_by_role("button", name="File the call").click()

    page.wait_for_url(re.compile(r"/desk/tickets/[A-Z]+-\d+/$"))
    ticket = Ticket.objects.get()
    assert (
        page.locator(".message-success")
        .inner_text()
        .endswith("the caller gets the acknowledgement by e-mail.")
    )
    assert (ticket.requester, ticket.channel, ticket.priority) == (caller, "phone", "urgent")
    assert ticket.subject == "The shop is down."
    assert [m.to for m in mail.outbox] == [[caller.email]]
