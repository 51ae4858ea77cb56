"""Collision warnings in two real browsers, in Finnish: Sanna sees Pekka open and type on
the same ticket, and a reply sent after the customer wrote again asks first, loses nothing."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"
# A poll every 12 s: what the other page reports shows up within one poll and some slack.
WITHIN_A_POLL_MS = 20_000


def finnish(text: str, **values: object) -> str:
    with translation.override("fi"):
        translated = gettext(text)
    assert translated != text, f"no Finnish translation for {text!r}"
    return translated % values if values else translated


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(finnish("E-mail address")).fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name=finnish("Log in")).click()
    page.wait_for_url("**/desk/")


@pytest.fixture
def people(db):
    cache.clear()  # presence lives in the (local-memory) cache the live server shares
    organisation = OrganisationFactory(name="Aurora Oy", domain="aurora.example")
    maija = ContactFactory(
        organisation=organisation,
        main=True,
        email="maija@aurora.example",
        display_name="Maija Virtanen",
        language="fi",
    )
    agents = [
        UserFactory(agent=True, email=email, display_name=name, language="fi", password=PASSWORD)
        for email, name in (
            ("sanna@tiketti.example", "Sanna Tukihenkilö"),
            ("pekka@tiketti.example", "Pekka Virta"),
        )
    ]
    ticket = submit_request(
        IntakeRequest(
            channel="email", requester=maija, subject="Kassa ei toimi", body_text="Kassa jumissa."
        )
    ).ticket
    yield maija, *agents, ticket
    cache.clear()


@pytest.fixture
def second_page(browser):
    context = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_agent_sees_another_agent_viewing_and_writing(page, second_page, live_server, people):
    _maija, sanna, pekka, ticket = people
    url = f"{live_server.url}/desk/tickets/{ticket.number}/"
    log_in(second_page, live_server.url, pekka.email)
    second_page.goto(url)
    second_page.wait_for_load_state("networkidle")  # its first report is in

    log_in(page, live_server.url, sanna.email)
    page.goto(url)
    presence = page.locator("#presence")
    assert presence.get_attribute("aria-live") == "polite"
    viewing = finnish("%(name)s is viewing", name="Pekka Virta")
    presence.get_by_text(viewing).wait_for(timeout=WITHIN_A_POLL_MS)

    second_page.get_by_label(finnish("Message")).press_sequentially("Katson tätä")
    writing = finnish("%(name)s is writing a reply", name="Pekka Virta")
    presence.get_by_text(writing).wait_for(timeout=WITHIN_A_POLL_MS)
    # And Pekka sees Sanna, who only looks.
    sanna_viewing = finnish("%(name)s is viewing", name="Sanna Tukihenkilö")
    second_page.locator("#presence").get_by_text(sanna_viewing).wait_for(timeout=WITHIN_A_POLL_MS)

    second_page.close()  # Pekka leaves: gone once his entry expires (not waited for here)
    assert Message.objects.filter(ticket=ticket).count() == 1  # presence wrote no message


def test_reply_after_a_newer_customer_message_asks_first_and_loses_nothing(
    page, live_server, people
):
    maija, sanna, _pekka, ticket = people
    log_in(page, live_server.url, sanna.email)
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    text = "Hei Maija,\n\nkäynnistäkää kassa uudelleen."
    page.get_by_label(finnish("Message")).fill(text)
    # Meanwhile Maija writes again.
    services.post_message(
        ticket=ticket,
        author=maija,
        body_text="Nyt myös kuittitulostin on pimeänä.",
        channel="email",
    )
    page.get_by_role("button", name=finnish("Send"), exact=True).click()

    with translation.override("fi"):
        asked = ngettext(
            "The customer wrote again while you were writing. Nothing was sent yet: read the "
            "new message, then send your text anyway or change it first.",
            "The customer wrote again while you were writing. Nothing was sent yet: read the "
            "new messages, then send your text anyway or change it first.",
            1,
        )
    notice = page.get_by_role("alert").filter(has_text=asked)
    assert "Nyt myös kuittitulostin on pimeänä." in notice.inner_text()
    assert page.get_by_label(finnish("Message")).input_value() == text  # kept
    assert not Message.objects.filter(ticket=ticket, author=sanna).exists()

    page.get_by_role("button", name=finnish("Send anyway")).click()
    page.wait_for_url(f"**/desk/tickets/{ticket.number}/")
    assert finnish("Reply sent.") in page.get_by_role("status").first.inner_text()
    sent = Message.objects.get(ticket=ticket, author=sanna)
    assert sent.body_text.replace("\r\n", "\n") == text
