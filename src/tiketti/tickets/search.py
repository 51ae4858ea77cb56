"""The desk's ticket search: a ticket number, or words from the subject and the messages.

A number (`TK-1003`, `tk1003`, `1003`) is looked up exactly. Other text is full-text
searched over `TicketSearchDocument`: the documents hold terms normalised in Python
(`tiketti.fulltext`, the help center's normalisation), stemmed in the requester's language;
a query word is stemmed in each of Finnish, Polish and English, so a word matches in
whichever language the ticket is written, and matches as a prefix (a word still being
typed, a Finnish compound's first part). SQLite matches in an FTS5 table kept in step by
triggers, PostgreSQL in a generated tsvector column with a GIN index (migration 0008):
both over the same terms, with the `simple` configuration.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from tiketti.fulltext import (
    LANGUAGES,
    index_text,
    is_stop_word,
    language_or_default,
    stem,
    tokenize,
)
from tiketti.operations.rows import insert

from .models import Ticket, TicketSearchDocument

MAX_QUERY_WORDS = 8


def ticket_number_in(text: str) -> str | None:
    """The ticket number `text` names, with or without the prefix, in any case
    (`tk-1003`, `TK1003`, `1003` → `TK-1003`); None when it is not a number."""
    prefix = settings.TIKETTI_TICKET_PREFIX
    match = re.fullmatch(rf"\s*(?:{re.escape(prefix)}\s*-?\s*)?(\d{{1,12}})\s*", text, re.I)
    return f"{prefix}-{match[1]}" if match else None


# -- keeping the index up to date ------------------------------------------------------


def document_terms(text: str, language: str) -> str:
    """The index terms of one text written in `language`."""
    return index_text(text, language_or_default(language)).text


def start_document(ticket: Ticket, language: str, first_text: str = "") -> None:
    """Index a new ticket's subject and first message (later ones follow with `add_text`)."""
    terms = " ".join(
        filter(None, (document_terms(text, language) for text in (ticket.subject, first_text)))
    )
    insert(TicketSearchDocument(ticket=ticket, terms=terms))


def add_text(ticket: Ticket, text: str, language: str) -> None:
    """Add a new message's words to its ticket's document, in one UPDATE."""
    terms = document_terms(text, language)
    if terms:
        TicketSearchDocument.objects.filter(ticket=ticket).update(
            terms=Concat(F("terms"), Value(f" {terms}"))
        )


def reindex_ticket(ticket: Ticket) -> None:
    """Rebuild a ticket's document from its subject and messages as they are now (after
    personal data was removed from a message: the index must not keep it either)."""
    language = ticket.requester.language
    texts = [ticket.subject, *ticket.messages.values_list("body_text", flat=True)]
    terms = " ".join(filter(None, (document_terms(text, language) for text in texts)))
    TicketSearchDocument.objects.update_or_create(ticket=ticket, defaults={"terms": terms})


# -- querying --------------------------------------------------------------------------


def query_words(text: str) -> list[set[str]]:
    """Per word of the query, the index terms it may stand for: its stem in each of our
    languages. A stop word of any of them (`ei`, `nie`, `not`) is left out: the documents
    of its language do not hold it."""
    words = []
    for word in tokenize(text)[:MAX_QUERY_WORDS]:
        if not any(is_stop_word(word, language) for language in LANGUAGES):
            words.append({stem(word, language) for language in LANGUAGES})
    return words


def fts5_expression(words: list[set[str]]) -> str:
    """Every word, each as any of its terms or a longer term starting with one."""
    return " AND ".join(
        "(" + " OR ".join(f'"{term}"*' for term in sorted(options)) + ")" for options in words
    )


def tsquery_expression(words: list[set[str]]) -> str:
    return " & ".join(
        "(" + " | ".join(f"{term}:*" for term in sorted(options)) + ")" for options in words
    )


def search_condition(text: str) -> Q:
    """The condition for tickets matching what an agent typed in the queue's search box."""
    number = ticket_number_in(text)
    if number is not None:
        return Q(number=number)
    words = query_words(text)
    if not words:
        return Q(subject__icontains=text)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT ticket_id FROM tickets_ticketsearchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s)"
        )
        matching = RawSQL(sql, [tsquery_expression(words)])  # noqa: S611 - the query is a parameter
    else:
        # The FTS table's rowid is the document's, which is its ticket's id.
        sql = "SELECT rowid FROM tickets_search_fts WHERE tickets_search_fts MATCH %s"
        matching = RawSQL(sql, [fts5_expression(words)])  # noqa: S611 - the query is a parameter
    return Q(pk__in=matching)
