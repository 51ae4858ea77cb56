import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiketti.operations.bench_data import generate
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Message, Ticket, TicketSearchDocument
from tiketti.tickets.search import search_condition


def bench(tickets, **options):
    call_command("bench-data", tickets=tickets, **options)


def number_value(number):
    prefix, value = number.split("-")
    assert prefix == settings.TIKETTI_TICKET_PREFIX
    return int(value)


def test_fills_tickets_messages_and_search_documents_in_three_languages(db, capsys):
    bench(300, messages_per_ticket=3, chunk_size=100)

    assert Ticket.objects.count() == 300
    assert Message.objects.count() == 900
    assert TicketSearchDocument.objects.count() == 300
    languages = Counter(Ticket.objects.values_list("requester__language", flat=True))
    assert set(languages) == {"fi", "pl", "en"}
    assert min(languages.values()) > 30
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    assert statuses["closed"] + statuses["solved"] > 150  # mostly done with
    assert statuses["open"] + statuses["new"] + statuses["waiting"] > 10  # some still open
    for ticket in Ticket.objects.all():
        assert ticket.priority_rank == Ticket.PRIORITY_RANK[Ticket.Priority(ticket.priority)]
        assert ticket.organisation_id == ticket.requester.organisation_id
        assert ticket.created_at <= ticket.updated_at
        if ticket.status in ("solved", "closed"):
            assert ticket.resolved_at is not None and ticket.resolution_breached is not None
    output = capsys.readouterr().out
    assert "100 / 300 tickets" in output and "300 / 300 tickets" in output
    assert "tickets/s" in output


def test_numbers_are_valid_and_a_new_ticket_gets_the_next_one(main_user):
    bench(50)
    values = sorted(number_value(n) for n in Ticket.objects.values_list("number", flat=True))
    assert values == list(range(values[0], values[0] + 50))

    new = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="After", body_text="Hi")
    ).ticket
    assert number_value(new.number) == values[-1] + 1


def test_desk_search_finds_a_word_of_a_generated_message(db):
    bench(60)
    message = Message.objects.filter(ticket__requester__language="fi").first()
    word = max(re.findall(r"\w+", message.body_text), key=len)  # a long word, not a stop word
    found = Ticket.objects.filter(search_condition(word))
    assert message.ticket in found
    assert not Ticket.objects.filter(search_condition("zzxqyword")).exists()


def test_refuses_a_database_with_real_tickets_unless_forced(db, main_user):
    submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Real", body_text="Hi")
    )
    with pytest.raises(CommandError, match=r"not bench data.*--force"):
        bench(10)
    assert Ticket.objects.count() == 1
    bench(10, force=True)
    assert Ticket.objects.count() == 11


def test_bench_tickets_alone_do_not_stop_a_second_run(db):
    bench(20)
    bench(20)
    assert Ticket.objects.count() == 40
    assert Ticket.objects.values("number").distinct().count() == 40


def snapshot():
    return [
        (
            t.subject,
            t.status,
            t.priority,
            t.channel,
            t.requester.email,
            t.created_at,
            [m.body_text for m in t.messages.all()],
        )
        for t in Ticket.objects.order_by("number").prefetch_related("messages")
    ]


def test_the_same_seed_gives_the_same_data_another_seed_other_data(db):
    bench(40, seed=7)
    first = snapshot()
    Ticket.objects.all().delete()
    bench(40, seed=7)
    assert snapshot() == first
    Ticket.objects.all().delete()
    bench(40, seed=8)
    assert snapshot() != first


def test_queries_are_per_chunk_not_per_ticket(db):
    list(generate(10, chunk_size=10))  # people and categories exist from here on

    def queries(tickets, chunk_size):
        with CaptureQueriesContext(connection) as captured:
            list(generate(tickets, chunk_size=chunk_size))
        return len(captured)

    two_small, two_large, three_large = queries(20, 10), queries(80, 40), queries(120, 40)
    assert two_small == two_large  # four times the tickets in each chunk, no more queries
    # A chunk: its transaction, the tickets, their messages and search documents.
    assert three_large - two_large <= 5


def test_rejects_nonsense_counts(db):
    with pytest.raises(CommandError, match="must be ≥ 1"):
        bench(0)


def test_the_first_response_is_the_first_public_staff_reply(db):
    bench(80, messages_per_ticket=4)
    responded = 0
    for ticket in Ticket.objects.prefetch_related("messages__author"):
        replies = [m for m in ticket.messages.all() if m.author.is_agent and not m.is_internal]
        assert ticket.first_responded_at == (replies[0].created_at if replies else None)
        if replies:
            responded += 1
            late = ticket.first_responded_at > ticket.first_response_due_at
            assert ticket.first_response_breached == late
    assert responded > 40
