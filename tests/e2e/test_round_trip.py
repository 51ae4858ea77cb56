"""The foundation's journey, in Finnish: a customer files a request with an attachment, an
agent answers it from the desk, the customer sees the answer and receives it by e-mail."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets.models import Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128


def finnish(text: str) -> str:
    with translation.override("fi"):
        translated = gettext(text)
    assert translated != text, f"no Finnish translation for {text!r}"
    return translated


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(finnish("E-mail address")).fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name=finnish("Log in")).click()


def log_out(page):
    page.get_by_role("button", name=finnish("Log out")).click()


def test_customer_request_answered_by_agent_in_finnish(page, live_server, smtp_server, settings):
    settings.TIKETTI_BASE_URL = live_server.url
    organisation = OrganisationFactory(name="Verkkokauppa Aurora Oy", domain="aurora.example")
    customer = ContactFactory(
        organisation=organisation,
        main=True,
        email="maija@aurora.example",
        display_name="Maija Virtanen",
        language="fi",
        password=PASSWORD,
    )
    agent = UserFactory(
        agent=True,
        email="sanna@tiketti.example",
        display_name="Sanna Tukihenkilö",
        language="fi",
        password=PASSWORD,
    )
    category = CategoryFactory(slug="bug", name_fi="Virheilmoitus")

    # The customer files a request with a screenshot.
    log_in(page, live_server.url, customer.email)
    page.get_by_role("navigation").get_by_role("link", name=finnish("New request")).click()
    page.get_by_label(finnish("Subject")).fill("Kassasivu antaa virheen 500")
    page.get_by_label(finnish("Category")).select_option(label=category.name_fi)
    page.get_by_label(finnish("Description")).fill("Maksa-nappi antaa virheen 500 Firefoxissa.")
    page.get_by_label(finnish("Attachments")).set_input_files(
        [{"name": "kuvakaappaus.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name=finnish("Send request")).click()
    ticket = Ticket.objects.get()
    page.wait_for_url(f"**/requests/{ticket.number}/")
    assert ticket.number in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="kuvakaappaus.png").is_visible()
    log_out(page)

    # The agent finds it in the queue with the keyboard and answers.
    log_in(page, live_server.url, agent.email)
    page.wait_for_url("**/desk/")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/desk/tickets/{ticket.number}/")
    assert page.get_by_role("link", name="kuvakaappaus.png").is_visible()
    page.keyboard.press("r")
    page.keyboard.type("Hei Maija, korjasimme maksumoduulin asetukset. Kokeile uudelleen!")
    page.get_by_role("button", name=finnish("Send"), exact=True).click()
    page.wait_for_url(f"**/desk/tickets/{ticket.number}/")
    assert finnish("Reply sent.") in page.get_by_role("status").first.inner_text()
    log_out(page)

    # The customer sees the answer on the ticket page.
    log_in(page, live_server.url, customer.email)
    page.goto(f"{live_server.url}/requests/{ticket.number}/")
    assert page.get_by_text("korjasimme maksumoduulin asetukset").is_visible()
    assert page.locator("html").get_attribute("lang") == "fi"

    # ...and received both mails over SMTP, in Finnish, threaded.
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects == [
        f"[{ticket.number}] Olemme vastaanottaneet pyyntösi: Kassasivu antaa virheen 500",
        f"[{ticket.number}] VS: Kassasivu antaa virheen 500",
    ]
    acknowledgement, answer = smtp_server.messages
    assert answer["In-Reply-To"] == acknowledgement["Message-ID"]
    assert "korjasimme maksumoduulin asetukset" in answer.get_body(("plain",)).get_content()
    assert re.search(
        rf"{live_server.url}/requests/{ticket.number}/", answer.get_body(("plain",)).get_content()
    )
