"""Macros: filled in the requester's language, applied through the services, in history."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tiketti.desk.admin import MacroForm
from tiketti.desk.macros import (
    fill_placeholders,
    macro_text,
    reply_with_macro,
    unknown_placeholders,
)
from tiketti.desk.tests.factories import MacroFactory
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


def file_ticket(requester, subject="Nie mogę się zalogować"):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="?")
    return submit_request(request).ticket


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hei {requester_name}!", "Hei Anna!"),
        ("{ticket_number}/{ticket_number}", "TK-1/TK-1"),
        ("{unknown} stays", "{unknown} stays"),
        ("{ requester_name }", "{ requester_name }"),
        ("no placeholders", "no placeholders"),
        ("{{requester_name}}", "{Anna}"),
    ],
)
def test_fill_placeholders(text, expected):
    assert fill_placeholders(text, {"requester_name": "Anna", "ticket_number": "TK-1"}) == expected


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("{requester_name} {agent_name} {ticket_number} {articles}", []),
        ("{name} {name} {ticket}", ["name", "ticket"]),
        ("no braces", []),
    ],
)
def test_unknown_placeholders(text, unknown):
    assert unknown_placeholders(text) == unknown


@pytest.mark.django_db
def test_macro_text_is_in_the_requesters_language_whatever_the_agents(stranger, agent, settings):
    settings.TIKETTI_BASE_URL = "https://tuki.example"
    article = ArticleFactory(
        slug="reset",
        texts={"en": ("Reset a password", "…"), "pl": ("Zmiana hasła", "…"), "fi": ("Vaihto", "…")},
    )
    macro = MacroFactory(articles=[article])
    ticket = file_ticket(stranger)
    assert agent.language == "fi"
    text = macro_text(macro, ticket=ticket, agent=agent)
    assert text.startswith("Dzień dobry Anna, proszę zobaczyć Zmiana hasła: ")
    assert "https://tuki.example/help/articles/reset/?lang=pl" in text
    assert f"({ticket.number}). Sanna Agent" in text


@pytest.mark.django_db
def test_several_articles_are_listed_one_a_line(stranger, agent, settings):
    settings.TIKETTI_BASE_URL = "https://tuki.example"
    articles = [
        ArticleFactory(slug="one", texts={"pl": ("Jeden", "…")}),
        ArticleFactory(slug="two", texts={"en": ("Two", "…")}),  # no Polish: English
    ]
    macro = MacroFactory(body_pl="Proszę zobaczyć:{articles}", articles=articles)
    assert macro_text(macro, ticket=file_ticket(stranger), agent=agent) == (
        "Proszę zobaczyć:\n- Jeden: https://tuki.example/help/articles/one/?lang=pl"
        "\n- Two: https://tuki.example/help/articles/two/?lang=en"
    )


@pytest.mark.django_db
def test_a_macro_without_the_language_falls_back_to_english(stranger, agent):
    macro = MacroFactory(body_pl="", body_en="Hello {requester_name}.")
    assert macro_text(macro, ticket=file_ticket(stranger), agent=agent) == "Hello Anna."


@pytest.mark.django_db
def test_internal_and_draft_articles_are_not_linked(stranger, agent):
    hidden = [ArticleFactory(internal=True), ArticleFactory(draft=True)]
    macro = MacroFactory(body_pl="Links: {articles}", articles=hidden)
    assert macro_text(macro, ticket=file_ticket(stranger), agent=agent) == "Links:"


@pytest.mark.django_db
def test_replying_with_a_macro_sets_what_it_sets_and_is_in_the_history(
    stranger, agent, category, django_capture_on_commit_callbacks
):
    macro = MacroFactory(status=Ticket.Status.SOLVED, priority="high", category=category)
    ticket = file_ticket(stranger)
    with django_capture_on_commit_callbacks(execute=True):
        reply_with_macro(ticket=ticket, agent=agent, macro=macro, body_text="Dzień dobry Anna")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.category) == ("solved", "high", category)
    event = ticket.events.get(kind=TicketEvent.Kind.MACRO)
    assert (event.actor, event.new_value) == (agent, "Password reset")
    assert "applied the macro “Password reset”" in [line.text for line in ticket_history(ticket)]
    with translation.override("fi"):  # the macro's own name in the reader's language
        texts = [line.text for line in ticket_history(ticket)]
    assert "käytti valmisvastausta ”Salasanan vaihto”" in texts
    answers = [m for m in mail.outbox if "Dzień dobry Anna" in m.body]
    assert answers and {tuple(m.to) for m in answers} == {(stranger.email,)}


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.mark.django_db
def test_inserting_a_macro_fills_the_reply_box_and_sends_nothing(agent_client, stranger):
    macro = MacroFactory()
    ticket = file_ticket(stranger)
    response = agent_client.post(
        reverse("desk:ticket-macro", args=[ticket.number]), {"macro": macro.pk}
    )
    assert response.status_code == 200
    form = response.context["reply_form"]
    assert form.initial["body"].startswith("Dzień dobry Anna")
    assert form.initial["applied_macro"] == macro.pk
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_inserting_over_htmx_returns_only_the_reply_form(agent_client, stranger):
    macro = MacroFactory()
    ticket = file_ticket(stranger)
    response = agent_client.post(
        reverse("desk:ticket-macro", args=[ticket.number]),
        {"macro": macro.pk},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith("<form") and 'id="reply-form"' in body
    assert "Dzień dobry Anna" in body


@pytest.mark.django_db
def test_an_inactive_or_unknown_macro_is_not_found(agent_client, stranger):
    ticket = file_ticket(stranger)
    inactive = MacroFactory(is_active=False)
    url = reverse("desk:ticket-macro", args=[ticket.number])
    assert agent_client.post(url, {"macro": inactive.pk}).status_code == 404
    assert agent_client.post(url, {"macro": "x"}).status_code == 404
    assert agent_client.post(url, {}).status_code == 404


@pytest.mark.django_db
def test_sending_the_inserted_text_applies_the_macro(agent_client, stranger):
    macro = MacroFactory(priority="urgent")
    ticket = file_ticket(stranger)
    response = agent_client.post(
        reverse("desk:ticket-reply", args=[ticket.number]),
        {
            "body": "Dzień dobry Anna, już działa.",
            "is_internal": "0",
            "status": "",
            "applied_macro": macro.pk,
            "version": ticket.version,
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    assert ticket.events.filter(kind=TicketEvent.Kind.MACRO).count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_unknown_placeholders():
    form = MacroForm(data={"name": "X", "body_en": "Hi {name}", "is_active": "on", "position": 0})
    assert not form.is_valid()
    assert "{name}" in form.errors["body_en"][0]
