"""Merge and split in a real browser: an agent splits a two-topic request into two
tickets, then merges a duplicate into the first, by keyboard."""

import re

import pytest

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets.intake import IntakeRequest, submit_request
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


def file(customer, subject, body, ticket=None):
    request = IntakeRequest(
        channel="portal", requester=customer, subject=subject, body_text=body, ticket=ticket
    )
    return submit_request(request).ticket


def test_agent_splits_a_two_topic_request_and_merges_a_duplicate(page, live_server, settings):
    settings.TIKETTI_BASE_URL = live_server.url
    organisation = OrganisationFactory(name="Northwind", domain="northwind.example", language="en")
    customer = ContactFactory(
        organisation=organisation, main=True, email="emma@northwind.example", language="en"
    )
    UserFactory(agent=True, email="sam@tiketti.example", language="en", password=PASSWORD)
    ticket = file(customer, "Printer and invoice", "The printer jams.")
    file(customer, "", "Also: invoice 12 is wrong.", ticket=ticket)
    duplicate = file(customer, "Printer jams", "The printer jams again.")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("sam@tiketti.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    summary = page.get_by_text("Split selected messages", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label(re.compile(r"^\s*2\. ")).check()  # the second message of the thread
    page.get_by_label("Subject of the new ticket").fill("Invoice 12")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: ticket.number not in url)
    invoice = Ticket.objects.get(subject="Invoice 12")
    assert page.url.endswith(f"/desk/tickets/{invoice.number}/")
    assert [m.body_text for m in invoice.messages.all()] == ["Also: invoice 12 is wrong."]

    page.goto(f"{live_server.url}/desk/tickets/{duplicate.number}/")
    summary = page.get_by_text("Merge into…", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Merge into ticket").fill(ticket.number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/desk/tickets/{ticket.number}/")
    notice = page.get_by_text(f"{duplicate.number} was merged into {ticket.number}.")
    assert notice.first.is_visible()
    assert ticket.messages.count() == 2
