"""The desk's daily tools in a real browser, in Finnish: a macro answers a Polish customer
in Polish, three tickets are assigned at once, and search finds a word that only a message
holds."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.desk.tests.factories import MacroFactory
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"


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
    page.wait_for_url("**/desk/")


def file_ticket(requester, subject, body="Prośba o pomoc."):
    request = IntakeRequest(channel="email", requester=requester, subject=subject, body_text=body)
    return submit_request(request).ticket


@pytest.fixture
def people(db):
    organisation = OrganisationFactory(name="Bursztyn Sp. z o.o.", domain="bursztyn.example")
    anna = ContactFactory(
        organisation=organisation,
        main=True,
        email="anna@bursztyn.example",
        display_name="Anna Kowalska",
        language="pl",
    )
    sanna = UserFactory(
        agent=True,
        email="sanna@tiketti.example",
        display_name="Sanna Tukihenkilö",
        language="fi",
        password=PASSWORD,
    )
    pekka = UserFactory(agent=True, email="pekka@tiketti.example", display_name="Pekka Virta")
    return anna, sanna, pekka


def test_macro_reply_from_the_finnish_desk_goes_out_in_polish(
    page, live_server, smtp_server, settings, people
):
    settings.TIKETTI_BASE_URL = live_server.url
    anna, sanna, _ = people
    article = ArticleFactory(
        slug="reset-password",
        texts={
            "fi": ("Salasanan vaihtaminen", "…"),
            "pl": ("Zmiana hasła", "…"),
            "en": ("Changing your password", "…"),
        },
    )
    MacroFactory(
        name="Password reset",
        name_translations={"fi": "Salasanan vaihto", "pl": "Zmiana hasła"},
        body_fi="Hei {requester_name}, ohje: {articles}",
        body_pl=(
            "Dzień dobry {requester_name},\n\ninstrukcja zmiany hasła: {articles}\n\n{agent_name}"
        ),
        status=Ticket.Status.SOLVED,
        articles=[article],
    )
    ticket = file_ticket(anna, "Nie mogę zmienić hasła")
    smtp_server.messages.clear()  # the acknowledgement

    log_in(page, live_server.url, sanna.email)
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.id") == "id_macro"
    page.get_by_label(finnish("Macro"), exact=True).select_option(label="Salasanan vaihto")
    page.get_by_role("button", name=finnish("Insert macro")).click()
    reply = page.get_by_label(finnish("Message"))
    page.wait_for_function(
        "() => document.getElementById('id_body').value.startsWith('Dzień dobry Anna')"
    )
    assert "Zmiana hasła: " in reply.input_value()
    assert "Sanna Tukihenkilö" in reply.input_value()
    assert page.locator("html").get_attribute("lang") == "fi"  # the desk still speaks Finnish
    page.get_by_role("button", name=finnish("Send"), exact=True).click()
    page.wait_for_url(f"**/desk/tickets/{ticket.number}/")
    assert finnish("Reply sent.") in page.get_by_role("status").first.inner_text()

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.events.filter(kind=TicketEvent.Kind.MACRO).exists()
    history = page.locator("#history-heading + *").inner_text()
    assert "käytti valmisvastausta" in history
    bodies = {m["Subject"]: m.get_body(("plain",)).get_content() for m in smtp_server.messages}
    [body] = [text for text in bodies.values() if "instrukcja zmiany hasła" in text]
    assert all("anna@bursztyn.example" in m["To"] for m in smtp_server.messages)
    assert f"{live_server.url}/help/articles/reset-password/?lang=pl" in body
    assert "Hei Anna" not in body


def test_agent_assigns_three_tickets_at_once(page, live_server, people):
    anna, sanna, pekka = people
    tickets = [file_ticket(anna, f"Sprawa {index}") for index in range(4)]
    log_in(page, live_server.url, sanna.email)
    # By keyboard for the first (j moves to a row, x selects it), by clicking for two more.
    newest_first = list(Ticket.objects.order_by("-updated_at"))
    page.keyboard.press("j")
    page.keyboard.press("x")
    for ticket in newest_first[1:3]:
        page.get_by_label(finnish("Select %(number)s") % {"number": ticket.number}).check()
    page.get_by_label(finnish("Assign to")).select_option(label="Pekka Virta")
    page.get_by_role("button", name=finnish("Apply to selected")).click()
    page.wait_for_url("**/desk/**")
    with translation.override("fi"):
        expected = ngettext(
            "%(count)d ticket assigned to %(name)s", "%(count)d tickets assigned to %(name)s", 3
        ) % {"count": 3, "name": "Pekka Virta"}
    assert expected in page.get_by_role("status").first.inner_text()
    assigned = set(Ticket.objects.filter(assignee=pekka).values_list("number", flat=True))
    assert assigned == {t.number for t in newest_first[:3]}
    assert Ticket.objects.filter(assignee__isnull=True).count() == len(tickets) - 3
    # The views bar counts them at once.
    unassigned = page.get_by_role("link", name=finnish("Unassigned"))
    assert unassigned.locator(".view-count").inner_text() == "1"


def test_search_finds_a_word_only_a_message_holds(page, live_server, people):
    anna, sanna, _ = people
    wanted = file_ticket(anna, "Drukarka nie działa", "Nic nie drukuje.")
    file_ticket(anna, "Faktura", "Brak faktury za listopad.")
    services.post_message(
        ticket=wanted, author=anna, body_text="Model drukarki: Zebra GK420.", channel="email"
    )
    solved = file_ticket(anna, "Stara sprawa")
    services.change_status(ticket=solved, actor=sanna, status=Ticket.Status.SOLVED)
    log_in(page, live_server.url, sanna.email)
    page.keyboard.press("/")
    page.keyboard.type("zebra")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=zebra**")
    page.locator("#queue-results .ticket-link").first.wait_for()
    numbers = page.locator("#queue-results .ticket-link").all_inner_texts()
    assert numbers == [wanted.number]
    # A solved ticket's number finds it from the default queue, in lower case too.
    search = page.get_by_label(finnish("Search"))
    search.fill(solved.number.lower())
    search.press("Enter")
    page.wait_for_url(f"**q={solved.number.lower()}**")
    page.get_by_text(finnish("Found by its number, whatever the filters.")).wait_for()
    assert page.locator("#queue-results .ticket-link").all_inner_texts() == [solved.number]
