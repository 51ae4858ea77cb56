"""After a correct parse, in intake and storage (issue 14): what a ticket keeps of a
forwarded mail, of a long subject and of a file's name."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import TestCase
from django.urls import reverse

from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.tickets.models import Attachment, Ticket
from tiketti.tickets.subjects import shorten_subject


def ingest(raw: bytes) -> InboundMessage:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def mail(body: str, subject: str = "Fwd: Lasku", extra: str = "") -> bytes:
    return (
        "From: Maija Virtanen <maija@aurora.example>\nTo: support@tiketti.localhost\n"
        f"Subject: {subject}\n{extra}MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{body}\n"
    ).encode()


FORWARDED = "The invoice says 400 EUR but our contract says 300 EUR."


@pytest.mark.parametrize(
    "body",
    [
        "-------- Forwarded Message --------\nSubject: Invoice 12\nDate: Mon, 15 Jan 2024\n"
        f"From: Billing <billing@vendor.example>\n\n{FORWARDED}",
        "---------- Forwarded message ---------\nFrom: Billing <billing@vendor.example>\n"
        f"Date: Mon, 15 Jan 2024 at 10:12\nSubject: Invoice 12\n\n{FORWARDED}",
        "Begin forwarded message:\n\nFrom: Billing <billing@vendor.example>\n"
        f"Subject: Invoice 12\nDate: 15 January 2024 at 10:12:00 EET\n\n{FORWARDED}",
        "FYI\n\nOn Mon, 15 Jan 2024 at 10:12, Billing <billing@vendor.example> wrote:\n"
        f"> {FORWARDED}",
        "Katso alta.\n\n-------- Välitetty viesti --------\n"
        "Lähettäjä: Billing <billing@vendor.example>\nPäivämäärä: 15.1.2024 klo 10.12\n"
        f"Vastaanottaja: maija@aurora.example\nAihe: Lasku 12\n\n{FORWARDED}",
        "Proszę zobaczyć.\n\n-------- Przekazana wiadomość --------\n"
        "Od: Billing <billing@vendor.example>\nWysłane: poniedziałek, 15 stycznia 2024 10:12\n"
        f"Do: maija@aurora.example\nTemat: Faktura 12\n\n{FORWARDED}",
    ],
    ids=["thunderbird", "gmail", "apple-mail", "fyi-quote", "finnish", "polish"],
)
def test_a_new_ticket_keeps_the_forwarded_content(main_user, body):
    row = ingest(mail(body))
    assert row.reason == "created"
    stored = row.ticket.messages.get().body_text
    assert FORWARDED in stored
    assert stored == body.strip()


def test_a_reply_to_an_existing_ticket_leaves_out_the_quoted_history(main_user):
    first = ingest(mail("Kassa ei toimi.", subject="Kassa", extra="Message-ID: <m1@aurora.ex>\n"))
    reply = ingest(
        mail(
            "Nyt toimii, kiitos!\n\nOn Mon, 15 Jan 2024 at 10:12, Tuki wrote:\n"
            "> Kassa ei toimi.\n> Kokeile uudelleen.",
            subject=f"Re: [{first.ticket.number}] Kassa",
            extra="Message-ID: <m2@aurora.ex>\nIn-Reply-To: <m1@aurora.ex>\n",
        )
    )
    assert reply.reason == "appended" and reply.ticket == first.ticket
    assert reply.ticket_message.body_text == "Nyt toimii, kiitos!"


@pytest.mark.parametrize(
    ("subject", "limit", "expected"),
    [
        ("Short one", 250, "Short one"),
        ("word " * 60, 250, ("word " * 50).strip() + "…"),
        ("x" * 300, 250, "x" * 249 + "…"),
        ("Printer   broken\n again", 250, "Printer broken again"),
        ("Lasku, " * 50, 300, ("Lasku, " * 42).rstrip(" ,") + "…"),
    ],
)
def test_a_subject_is_cut_at_a_word_with_a_mark(subject, limit, expected):
    shortened = shorten_subject(subject, limit)
    assert shortened == expected and len(shortened) <= limit


def test_a_long_mail_subject_is_cut_at_a_word_boundary_everywhere_it_is_stored(main_user):
    subject = "Kassa ei toimi " + "ja maksu epäonnistuu " * 20 + "loppu"
    row = ingest(mail("Apua.", subject=subject))
    ticket = Ticket.objects.get(pk=row.ticket.pk)
    for stored, limit in ((ticket.subject, 250), (row.subject, 300)):
        assert len(stored) <= limit and stored.endswith("…")
        assert subject.startswith(stored.removesuffix("…"))
        assert subject[len(stored) - 1] == " "  # cut where a word ended
    acknowledgement = OutgoingEmail.objects.get(ticket=ticket)
    assert len(acknowledgement.subject) <= 300 and ticket.subject in acknowledgement.subject


def _with_attachments(*names: str) -> bytes:
    parts = "".join(
        "--B\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Disposition: attachment; filename*=utf-8''{quote(name)}\n\n"
        f"file {index}\n"
        for index, name in enumerate(names)
    )
    return (
        "From: maija@aurora.example\nTo: support@tiketti.localhost\nSubject: Tiedostot\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nLiitteet.\n" + parts + "--B--\n"
    ).encode()


def test_attachment_names_are_kept_as_given_and_only_the_storage_path_is_plain(main_user, client):
    given = [
        "新しいテキスト ドキュメント.txt",
        "report [final] (v2).pdf",
        "report [final] (v2).pdf",
    ]
    row = ingest(_with_attachments(*given))
    attachments = list(Attachment.objects.filter(ticket=row.ticket))
    names = [a.filename for a in attachments]
    assert names == [
        "新しいテキスト ドキュメント.txt",
        "report [final] (v2).pdf",
        "report [final] (v2) (2).pdf",
    ]
    for attachment in attachments:
        stored_as = attachment.file.name.rsplit("/", 1)[-1]
        assert " " not in stored_as and "[" not in stored_as and "(" not in stored_as
    client.force_login(main_user)
    first = attachments[0]
    response = client.get(reverse("tickets:attachment", args=[first.key, first.filename]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"file 0"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("新しいテキスト ドキュメント.txt") in disposition
    second = client.get(reverse("tickets:attachment", args=[attachments[2].key, "x"]))
    assert 'filename="report [final] (v2) (2).pdf"' in second["Content-Disposition"]
    response.close()
    second.close()
