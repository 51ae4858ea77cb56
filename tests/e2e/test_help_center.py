"""The assistant on the request form, in a real browser: a customer types a question in
Finnish, sees the matching help article appear, and either ends there ("this solved my
problem": no ticket) or sends the request anyway (the ticket remembers what was shown)."""

import datetime

import pytest

from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory
from tiketti.contracts.models import Contract, Plan
from tiketti.knowledge.demo import load_demo_articles
from tiketti.knowledge.models import Article, Deflection, TicketSuggestion
from tiketti.tickets.models import Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Salasana-2026!"


@pytest.fixture
def customer(db):
    organisation = OrganisationFactory(name="Verkkokauppa Aurora Oy", domain="aurora.example")
    plan = Plan.objects.create(name="Basic", monthly_support_minutes=120)
    Contract.objects.create(
        organisation=organisation, plan=plan, starts_on=datetime.date(2020, 1, 1)
    )
    load_demo_articles()
    return ContactFactory(
        organisation=organisation,
        main=True,
        email="maija@aurora.example",
        display_name="Maija Virtanen",
        language="fi",
        password=PASSWORD,
    )


def open_request_form(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/requests/")
    page.goto(f"{base_url}/requests/new/")


def type_question(page):
    page.locator("#id_subject").press_sequentially("salasanan vaihtaminen", delay=40)
    # Suggestions refresh while typing; wait for the last (debounced) refresh to land.
    page.wait_for_load_state("networkidle")
    suggestion = page.locator("#assistant .suggestion", has_text="Salasanan vaihto")
    suggestion.wait_for()
    return suggestion


def test_customer_finds_the_answer_and_no_ticket_is_made(page, live_server, customer):
    open_request_form(page, live_server.url, customer.email)
    suggestion = type_question(page)
    suggestion.locator(".solved-button").click()
    page.locator("#request-flow.solved").wait_for()
    assert "Salasanan vaihto" in page.locator("#request-flow").inner_text()
    assert page.locator("#id_subject").count() == 0
    assert not Ticket.objects.exists()
    deflection = Deflection.objects.get()
    assert deflection.article.slug == "changing-your-password"
    assert deflection.user == customer
    assert deflection.query == "salasanan vaihtaminen"


def test_request_sent_anyway_remembers_the_articles_shown(page, live_server, customer):
    CategoryFactory(slug="how-to", name_fi="Käyttöneuvonta")
    open_request_form(page, live_server.url, customer.email)
    type_question(page)
    page.locator("#id_category").select_option(label="Käyttöneuvonta")
    page.locator("#id_description").fill("Ohje ei auttanut: uusi salasana ei kelpaa.")
    page.locator("#request-submit").click()  # after the assistant, for the request form
    page.wait_for_url("**/requests/AB-*/")
    ticket = Ticket.objects.get()
    shown = TicketSuggestion.objects.filter(ticket=ticket).values_list("article", flat=True)
    assert Article.objects.get(slug="changing-your-password").pk in shown
    assert not Deflection.objects.exists()
