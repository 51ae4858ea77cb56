"""The history in words, in the reader's language, whoever made the change."""

import pytest
from django.utils import translation

from tiketti.accounts.tests.factories import TeamFactory
from tiketti.tickets import services
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(main_user):
    return submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="500")
    ).ticket


def texts(ticket, language, **options):
    with translation.override(language):
        return [line.text for line in ticket_history(ticket, **options)]


def test_a_status_change_reads_as_words_in_the_readers_language(ticket, agent):
    services.change_status(ticket=ticket, actor=agent, status=Ticket.Status.WAITING)
    finnish = texts(ticket, "fi")[-1]
    polish = texts(ticket, "pl")[-1]
    assert finnish == "muutti tilaksi “odottaa asiakasta” (oli “uusi”)"
    assert polish == "zmiana statusu z „nowe” na „oczekuje na klienta”"


def test_an_sla_verdict_is_a_sentence_not_a_code(ticket, agent):
    services.record_event(ticket, None, TicketEvent.Kind.SLA, "first_response", "met")
    line = texts(ticket, "fi")[-1]
    assert "first_response" not in line and "met" not in line
    assert line == "Ensimmäinen vastaus tavoiteajassa"


def test_team_and_category_names_follow_the_reader_not_the_writer(ticket, agent):
    billing = TeamFactory(name="Billing", name_translations={"fi": "Laskutus", "pl": "Rozliczenia"})
    category = CategoryFactory(slug="billing", name_en="Billing", name_fi="Laskutus-asiat")
    with translation.override("pl"):  # a Polish agent makes the change
        services.assign_ticket(ticket=ticket, actor=agent, assignee=None, team=billing)
        services.classify_ticket(ticket=ticket, actor=agent, category=category, priority="high")
    stored = ticket.events.filter(kind__in=["team", "category"]).values_list("new_value", flat=True)
    assert set(stored) == {"Billing", "billing"}  # stable keys, not a language's words
    finnish = texts(ticket, "fi")
    assert "antoi tiketin tiimille Laskutus" in finnish
    assert any("Laskutus-asiat" in line for line in finnish), finnish
    assert any("Rozliczenia" in line for line in texts(ticket, "pl"))
    assert "muutti prioriteetiksi “korkea” (oli “normaali”)" in finnish


def test_an_older_event_naming_a_category_in_one_language_is_still_translated(ticket, agent):
    CategoryFactory(slug="bug", name_en="Error report", name_fi="Virheilmoitus")
    services.record_event(ticket, agent, TicketEvent.Kind.CATEGORY, "", "Error report")
    assert "Virheilmoitus" in texts(ticket, "fi")[-1]


def test_an_unknown_value_is_shown_as_stored(ticket, agent):
    services.record_event(ticket, agent, TicketEvent.Kind.TEAM, "", "Team since deleted")
    assert "Team since deleted" in texts(ticket, "en")[-1]


def test_the_customer_sees_what_happened_to_the_request_not_the_desks_work(ticket, agent):
    services.post_message(
        ticket=ticket, author=agent, body_text="sisäinen", channel="portal", is_internal=True
    )
    services.record_event(ticket, agent, TicketEvent.Kind.TIME, "", "45 min")
    services.change_status(ticket=ticket, actor=agent, status=Ticket.Status.SOLVED)
    customer = texts(ticket, "en", for_customer=True)
    assert customer[0] == f"opened the ticket {ticket.number}"
    assert customer[-1] == "changed the status from “new” to “solved”"
    assert len(customer) == 2
    assert len(texts(ticket, "en")) > len(customer)


def test_who_did_it_is_named_and_tiketti_itself_is_the_system(ticket, agent):
    services.change_status(ticket=ticket, actor=agent, status=Ticket.Status.OPEN)
    services.record_event(ticket, None, TicketEvent.Kind.SLA, "resolution", "overdue")
    with translation.override("en"):
        lines = ticket_history(ticket)
    assert lines[-2].actor == agent.get_full_name()
    assert lines[-1].actor == "system"
    assert lines[-1].text == "Resolution is overdue"
