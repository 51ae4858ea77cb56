"""Paid work in a real browser: an agent quotes, the customer's main user approves it in
the portal, and the agent then logs billable time beyond the month's quota."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.contracts.models import Contract, Quote, TimeEntry
from tiketti.contracts.quotes import create_quote
from tiketti.tickets.intake import IntakeRequest, submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Salasana-2026!"


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def page(browser):
    """This journey runs in English (the shared fixture's browser speaks Finnish)."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_main_user_approves_a_quote_then_agent_logs_billable_time(page, live_server, settings):
    settings.TIKETTI_BASE_URL = live_server.url
    organisation = OrganisationFactory(name="Northwind", domain="northwind.example", language="en")
    plan = Contract.objects.get(organisation=organisation).plan
    plan.monthly_support_minutes = 60
    plan.hourly_rate = Decimal("80.00")
    plan.save()
    customer = ContactFactory(
        organisation=organisation,
        main=True,
        email="emma@northwind.example",
        language="en",
        password=PASSWORD,
    )
    agent = UserFactory(agent=True, email="sam@tiketti.example", language="en", password=PASSWORD)
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=customer,
            subject="New dispatch report",
            body_text="We need it",
        )
    ).ticket
    quote = create_quote(
        ticket=ticket,
        actor=agent,
        description="Dispatch report as CSV",
        estimated_hours=Decimal("2"),
        valid_until=timezone.localdate() + datetime.timedelta(days=14),
    )

    log_in(page, live_server.url, customer.email)
    page.goto(f"{live_server.url}/requests/{ticket.number}/")
    assert page.get_by_text(quote.reference).first.is_visible()
    assert page.get_by_text("160.00").first.is_visible()
    page.get_by_role("button", name="Approve the quote").click()
    assert "Quote approved" in page.get_by_role("status").inner_text()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED and quote.decided_by == customer
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, agent.email)
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    page.get_by_label("Minutes").fill("90")
    page.get_by_label("What was done").fill("Built the report")
    page.get_by_role("button", name="Log time").click()
    assert "Time logged." in page.get_by_role("status").first.inner_text()
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.extra_minutes, entry.quote) == (90, 30, quote)
    assert page.get_by_text("30 min beyond the quota").is_visible()
