"""A visitor without an account files a request by keyboard alone: from the help center
to the public form, the mailed link, and the ticket."""

import re

import pytest

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets.models import Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contact(db):
    organisation = OrganisationFactory(name="Aurora Oy", domain="aurora.example")
    return ContactFactory(
        organisation=organisation, main=True, email="maija@aurora.example", language="fi"
    )


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_visitor_files_by_keyboard(page, live_server, contact):
    CategoryFactory(slug="bug")
    page.goto(f"{live_server.url}/help/")
    tab_to(page, "a[href='/request/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/request/")

    tab_to(page, "#id_name")
    for text in ["Maija Virtanen", "maija@aurora.example", "Aurora Oy", "Kassa ei toimi"]:
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_category"
    page.keyboard.press("ArrowDown")  # the first category
    tab_to(page, "#id_description")
    page.keyboard.type("Maksupainike ei tee mitään.")
    tab_to(page, "#request-submit")
    # The honeypot is out of the tab order: the submit button came without passing it.
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tarkista sähköpostisi").wait_for()
    assert Ticket.objects.count() == 0

    mail = OutgoingEmail.objects.get(template="public-request-confirm")
    assert mail.language == "fi"
    link = re.search(r"https?://\S+(/request/confirm/\S+/)", mail.body_text).group(1)
    page.goto(live_server.url + link)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("status").wait_for()
    ticket = Ticket.objects.get()
    assert ticket.requester == contact
    assert ticket.subject == "Kassa ei toimi"
    assert ticket.number in page.get_by_role("status").inner_text()


def test_public_forms_fit_the_window_at_every_width(page, live_server, contact):
    from tests.e2e.test_layout import assert_no_sideways_scroll

    CategoryFactory(slug="bug")
    assert_no_sideways_scroll(
        page, [f"{live_server.url}/request/", f"{live_server.url}/request/agency/"]
    )
