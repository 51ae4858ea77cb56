"""Replies to a merged ticket's mail, and mail naming its number, land in the survivor."""

import pytest
from django.test import TestCase

from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage
from tiketti.tickets.merging import merge_tickets

pytestmark = pytest.mark.django_db


def ingest(raw: bytes) -> InboundMessage:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def mail(message_id: str, subject: str, extra: str = "") -> bytes:
    return (
        "From: Maija Virtanen <maija@aurora.example>\nTo: support@tiketti.localhost\n"
        f"Subject: {subject}\nMessage-ID: <{message_id}>\n{extra}MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\nKassa ei toimi vieläkään.\n"
    ).encode()


@pytest.mark.parametrize(
    ("how", "subject", "extra"),
    [
        ("in-reply-to", "Re: Kassa", "In-Reply-To: <first@aurora.example>\n"),
        ("references", "Re: Kassa", "References: <first@aurora.example>\n"),
        ("number-in-subject", "Re: [{number}] Kassa", ""),
    ],
)
def test_a_later_reply_to_the_merged_ticket_lands_in_the_survivor(
    main_user, agent, how, subject, extra
):
    merged = ingest(mail("first@aurora.example", "Kassa")).ticket
    survivor = ingest(mail("second@aurora.example", "Kassa taas")).ticket
    merge_tickets(ticket=merged, into=survivor, actor=agent)

    reply = ingest(mail("reply@aurora.example", subject.format(number=merged.number), extra))

    assert reply.ticket == survivor
    assert survivor.messages.count() == 3
    assert not merged.messages.exists()
