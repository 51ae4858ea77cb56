"""A Message-ID names a message; it does not prove one. The same mail through another door
is one message; a different mail that reuses a Message-ID is stored, judged on its own
merits and linked to the earlier one (DESIGN.md, "Inbound mail never gets lost")."""

import io

import pytest
from django.core.management import call_command
from django.test import TestCase

from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage
from tiketti.mail.storing import content_fingerprint
from tiketti.tickets.models import Message, Ticket

from .test_inbound import make

Status = InboundMessage.Status


def stored(message, via=InboundMessage.Via.PIPE):
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return inbound.store_raw(raw, via=via)


def processed(row):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return inbound.process(row.pk)


def test_a_different_message_with_a_known_message_id_is_stored_and_processed(main_user):
    """A broken mailer gives two requests one Message-ID: both become tickets."""
    first, _ = stored(make(subject="Kassa", Message_ID="<same@aurora.example>"))
    processed(first)
    second, created = stored(
        make(subject="Raportti", body="Raportti on tyhjä.", Message_ID="<same@aurora.example>")
    )
    assert created and second.pk != first.pk
    assert second.reuses_message_id_of == first
    done = processed(second)
    assert done.status == Status.PROCESSED and done.reason == "created"
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Kassa", "Raportti"]
    assert Message.objects.get(ticket=done.ticket).body_text.startswith("Raportti on tyhjä.")


def test_a_stranger_cannot_pre_empt_a_customers_next_message(main_user):
    """Whoever saw a References header can send the Message-ID a customer's mailer will
    use next. The stranger's mail is held as any stranger's; the customer's own mail,
    arriving later with that ID, still reaches its ticket."""
    request = make(subject="Kassa", Message_ID="<kassa@aurora.example>")
    ticket = processed(stored(request)[0]).ticket
    forged = make(
        sender="Mallory <mallory@evil.example>",
        subject="Re: Kassa",
        body="Pay to this account instead.",
        Message_ID="<next@aurora.example>",
        In_Reply_To="<kassa@aurora.example>",
    )
    held = processed(stored(forged)[0])
    assert held.status == Status.HELD
    genuine = make(
        subject="Re: Kassa",
        body="Virhe toistuu yhä.",
        Message_ID="<next@aurora.example>",
        In_Reply_To="<kassa@aurora.example>",
    )
    row, created = stored(genuine)
    assert created and row.reuses_message_id_of == held
    done = processed(row)
    assert done.status == Status.PROCESSED and done.reason == "appended"
    assert done.ticket == ticket
    assert list(ticket.messages.order_by("pk").values_list("body_text", flat=True))[-1].startswith(
        "Virhe toistuu yhä."
    )
    assert InboundMessage.objects.get(pk=held.pk).status == Status.HELD  # still held, not merged


def test_the_same_mail_through_another_door_is_one_message(main_user):
    """IMAP and LMTP hand over the same mail with other trace headers and other line
    ends: it is the stored message, and becomes one ticket message."""
    first = processed(stored(make(Message_ID="<twice@aurora.example>"))[0])
    again = make(Message_ID="<twice@aurora.example>")
    again["Received"] = "from mx2.example by imap.example"
    again["Delivered-To"] = "support@tiketti.localhost"
    again["X-Spam-Score"] = "0.1"
    crlf = again.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    row, created = stored(crlf, via=InboundMessage.Via.IMAP)
    assert not created and row.pk == first.pk
    assert Message.objects.count() == 1


def test_a_batch_with_two_messages_of_one_message_id_stores_both_and_links_them(main_user):
    one = make(subject="Yksi", Message_ID="<batch@aurora.example>").as_bytes()
    two = make(subject="Kaksi", Message_ID="<batch@aurora.example>").as_bytes()
    rows = inbound.store_many([one, two, one], via=InboundMessage.Via.IMPORT)
    assert [created for _, created in rows] == [True, True, False]
    first, second, third = (row for row, _ in rows)
    assert third.pk == first.pk
    assert InboundMessage.objects.get(pk=second.pk).reuses_message_id_of_id == first.pk
    done = inbound.process_many([first, second])
    assert [row.reason for row in done] == ["created", "created"]
    assert Ticket.objects.count() == 2


def test_mail_ingest_prints_the_new_messages_own_outcome(main_user, stranger, monkeypatch):
    """`mail ingest` of a different message with a known Message-ID printed the earlier
    message's ticket number and stored nothing."""
    first = processed(stored(make(subject="Kassa", Message_ID="<cli@aurora.example>"))[0])
    other = make(
        sender="Anna Kowalska <anna@bursztyn.example>",
        subject="Faktura",
        Message_ID="<cli@aurora.example>",
    )
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(other.as_bytes())))
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("mail", "ingest", stdout=out)
    printed = out.getvalue().strip()
    assert printed != first.ticket.number
    assert printed == Ticket.objects.get(requester=stranger).number


@pytest.mark.parametrize(
    ("change", "same"),
    [
        (lambda m: m.__setitem__("Received", "from elsewhere"), True),
        (lambda m: m.__setitem__("Return-Path", "<bounce@aurora.example>"), True),
        (lambda m: m.replace_header("Subject", "Toinen asia"), False),
        (lambda m: m.replace_header("From", "mallory@evil.example"), False),
        (lambda m: m.set_content("Eri viesti."), False),
        (lambda m: m.__setitem__("Cc", "boss@aurora.example"), False),
    ],
)
def test_what_makes_a_message_the_same_as_another(change, same):
    message = make(Message_ID="<x@aurora.example>")
    before = content_fingerprint(message.as_bytes())
    change(message)
    assert (before == content_fingerprint(message.as_bytes())) is same


def test_a_refolded_header_is_the_same_header():
    raw = make(Message_ID="<x@aurora.example>").as_bytes()
    refolded = raw.replace(b"Subject: Kassa ei toimi", b"Subject: Kassa ei\n  toimi")
    assert refolded != raw
    assert content_fingerprint(raw) == content_fingerprint(refolded)


def test_without_a_message_id_only_the_same_bytes_are_the_same_message(main_user):
    """Alerts without a Message-ID may repeat word for word; each delivery is its own."""
    first, _ = stored(make(subject="Levy täynnä"))
    again = make(subject="Levy täynnä")
    again["Received"] = "from mx2.example"
    second, created = stored(again)
    assert created and second.pk != first.pk and second.reuses_message_id_of is None


def test_staff_see_that_a_held_message_reused_an_earlier_messages_id(client, agent, main_user):
    from django.urls import reverse

    ticket = processed(stored(make(subject="Kassa", Message_ID="<seen@aurora.example>"))[0]).ticket
    forged = make(sender="mallory@evil.example", Message_ID="<seen@aurora.example>")
    held = processed(stored(forged)[0])
    assert held.status == Status.HELD
    client.force_login(agent)
    page = client.get(reverse("desk:mail-detail", args=[held.pk])).content.decode()
    assert "on sama Message-ID; tämä viesti käsiteltiin omana viestinään" in page  # Sanna: fi
    assert reverse("desk:ticket-detail", args=[ticket.number]) in page
