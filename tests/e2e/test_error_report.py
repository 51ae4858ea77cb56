"""A customer files an error report in the portal: the category's questions appear, the
operating system and browser come pre-filled from the browser, and the ticket, urgent by
its impact and urgency, lands with the organisation's own expert, listed in the desk above
older normal tickets."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import CategoryField, Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)


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


def error_report():
    category = CategoryFactory(slug="bug", name_fi="Virheilmoitus")
    for position, (name, kind, prefill, label) in enumerate(
        [
            ("doing", "long_text", "", "Mitä olitte tekemässä?"),
            ("operating_system", "text", "operating_system", "Käyttöjärjestelmä"),
            ("browser", "text", "browser", "Selain"),
            ("page_url", "url", "", "Sivun osoite"),
        ]
    ):
        CategoryField.objects.create(
            category=category,
            name=name,
            kind=kind,
            prefill=prefill,
            is_required=name in ("doing", "page_url"),
            position=position,
            label_en=name,
            label_fi=label,
        )
    return category


def test_customer_files_an_error_report_that_leads_the_desk_queue(
    browser, live_server, default_routing_rules
):
    organisation = OrganisationFactory(name="Verkkokauppa Aurora Oy", domain="aurora.example")
    customer = ContactFactory(
        organisation=organisation,
        main=True,
        email="maija@aurora.example",
        language="fi",
        password=PASSWORD,
    )
    agent = UserFactory(agent=True, email="sanna@tiketti.example", language="fi", password=PASSWORD)
    expert = UserFactory(agent=True, email="pekka@tiketti.example", display_name="Pekka Virta")
    organisation.expert = expert
    organisation.save(update_fields=["expert"])
    category = error_report()
    for subject in ("Laskun osoite", "Uusi käyttäjä"):
        older = submit_request(
            IntakeRequest(channel="portal", requester=customer, subject=subject, body_text="?")
        ).created_ticket
        Ticket.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))

    context = browser.new_context(
        locale="fi-FI", user_agent=FIREFOX_ON_WINDOWS, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, customer.email)
        page.get_by_role("navigation").get_by_role("link", name=finnish("New request")).click()
        page.get_by_label(finnish("Subject")).fill("Kassasivu antaa virheen 500")
        page.get_by_label(finnish("Category")).select_option(label=category.name_fi)
        # htmx brings the category's questions, pre-filled from the browser's user agent.
        assert page.get_by_label("Käyttöjärjestelmä").input_value() == "Windows 10"
        assert page.get_by_label("Selain").input_value() == "Firefox 133"
        page.get_by_label("Mitä olitte tekemässä?").fill("Painoin Maksa-painiketta")
        page.get_by_label("Sivun osoite").fill("https://aurora.example/kassa")
        page.get_by_label(finnish("Description")).fill("Maksu ei mene läpi.")
        page.get_by_label(finnish("I cannot use the system at all")).check()
        page.get_by_label(finnish("Right away: it is stopping work now")).check()
        page.get_by_role("button", name=finnish("Send request")).click()
        page.wait_for_url("**/requests/*/")
        ticket = Ticket.objects.get(subject="Kassasivu antaa virheen 500")
        assert ticket.priority == "urgent"
        assert ticket.assignee == expert  # the organisation's own expert gets it first
        assert ticket.field_answers["operating_system"] == "Windows 10"
        answers = page.get_by_role("table", name=finnish("Answers on the request form"))
        assert "Painoin Maksa-painiketta" in answers.inner_text()
        page.get_by_role("button", name=finnish("Log out")).click()

        log_in(page, live_server.url, agent.email)
        page.wait_for_url("**/desk/")
        subjects = page.locator(".queue-row .ticket-subject").all_inner_texts()
        assert subjects == ["Kassasivu antaa virheen 500", "Uusi käyttäjä", "Laskun osoite"]
        first_row = page.locator(".queue-row").first.inner_text()
        assert "Pekka Virta" in first_row
    finally:
        context.close()
