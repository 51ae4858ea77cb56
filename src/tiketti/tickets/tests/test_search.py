"""The desk's ticket search: numbers in any spelling, full text over subjects and messages."""

import importlib

import pytest

from tiketti.mail.redaction import redact_personal_data
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketSearchDocument
from tiketti.tickets.search import query_words, reindex_ticket, search_condition, ticket_number_in


def file_ticket(requester, subject="Kassa ei toimi", body="Maksu epäonnistuu."):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text=body)
    return submit_request(request).ticket


def found(text):
    return set(Ticket.objects.filter(search_condition(text)).values_list("number", flat=True))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("TK-1003", "TK-1003"),
        ("tk-1003", "TK-1003"),
        ("tk1003", "TK-1003"),
        (" TK 1003 ", "TK-1003"),
        ("1003", "TK-1003"),
        ("TK-", None),
        ("AB-1003", None),
        ("kassa 1003", None),
        ("", None),
    ],
)
def test_ticket_number_in_accepts_any_case_with_or_without_prefix(text, number, settings):
    settings.TIKETTI_TICKET_PREFIX = "TK"
    assert ticket_number_in(text) == number


def test_query_words_stem_in_every_language_and_drop_stop_words():
    words = query_words("ja salasanan")
    assert len(words) == 1  # "ja" is a Finnish stop word
    assert "salasan" in words[0]


@pytest.mark.django_db
def test_a_word_only_in_a_message_body_finds_the_ticket(main_user, stranger):
    ticket = file_ticket(main_user, "Kassa", "Tilausvahvistus ei tule perille.")
    file_ticket(stranger, "Faktura", "Nie działa.")
    assert found("tilausvahvistus") == {ticket.number}


@pytest.mark.django_db
def test_later_messages_and_notes_are_indexed(main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(
        ticket=ticket, author=main_user, body_text="Virhekoodi on 4711.", channel="email"
    )
    services.post_message(
        ticket=ticket,
        author=agent,
        body_text="Palvelinloki näyttää aikakatkaisun.",
        channel="portal",
        is_internal=True,
    )
    assert found("virhekoodi") == {ticket.number}
    assert found("palvelinloki") == {ticket.number}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "language", "query"),
    [
        ("Nie mogę zmienić hasła do konta.", "pl", "haslo"),  # inflected, without diacritics
        ("Unohdin salasanan.", "fi", "salasana"),
        ("The invoices are wrong.", "en", "invoice"),
        ("Kassasivu kaatuu.", "fi", "kassa"),  # a compound's first part, as a prefix
    ],
)
def test_words_match_across_inflections_and_diacritics(main_user, body, language, query):
    main_user.language = language
    main_user.save()
    ticket = file_ticket(main_user, "Asia", body)
    assert found(query) == {ticket.number}


@pytest.mark.django_db
def test_every_word_must_match(main_user):
    ticket = file_ticket(main_user, "Kassa", "Maksu epäonnistuu kortilla.")
    assert found("maksu kortilla") == {ticket.number}
    assert found("maksu lasku") == set()


@pytest.mark.django_db
def test_removing_personal_data_removes_it_from_the_index(main_user, agent):
    ticket = file_ticket(main_user, "Henkilötunnus", "Tunnukseni on 131052-308T.")
    message = ticket.messages.get()
    assert "308t" in TicketSearchDocument.objects.get(ticket=ticket).terms.split()
    redact_personal_data(message=message, actor=agent)  # keeps the date part: 131052-****
    assert "308t" not in TicketSearchDocument.objects.get(ticket=ticket).terms.split()
    assert found("308T") == set()


@pytest.mark.django_db
def test_reindexing_gives_the_same_terms_as_indexing_on_the_way(main_user, agent):
    ticket = file_ticket(main_user, "Kassa", "Maksu epäonnistuu.")
    services.post_message(
        ticket=ticket, author=agent, body_text="Kokeile uudelleen.", channel="portal"
    )
    before = TicketSearchDocument.objects.get(ticket=ticket).terms
    reindex_ticket(ticket)
    assert TicketSearchDocument.objects.get(ticket=ticket).terms.split() == before.split()


@pytest.mark.django_db
def test_the_migration_indexes_existing_tickets_as_posting_does(main_user, stranger, agent):
    from django.apps import apps

    backfill = importlib.import_module("tiketti.tickets.migrations.0010_index_existing_tickets")
    tickets = [
        file_ticket(main_user, "Kassa", "Maksu epäonnistuu."),
        file_ticket(stranger, "Hasło"),
    ]
    services.post_message(
        ticket=tickets[0], author=agent, body_text="Kokeile uudelleen.", channel="portal"
    )
    indexed = dict(TicketSearchDocument.objects.values_list("ticket_id", "terms"))
    TicketSearchDocument.objects.all().delete()
    backfill.index_tickets(apps, None)
    rebuilt = dict(TicketSearchDocument.objects.values_list("ticket_id", "terms"))
    assert {pk: terms.split() for pk, terms in rebuilt.items()} == {
        pk: terms.split() for pk, terms in indexed.items()
    }
    assert found("uudelleen") == {tickets[0].number}
