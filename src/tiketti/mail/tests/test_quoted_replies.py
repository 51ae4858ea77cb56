"""A customer's mail reply in the thread: the new text only, without the quoted history
and our "type your reply above this line" marker; the whole e-mail one click away, in
the desk and in the portal. Replies in the shapes Gmail, Outlook and Thunderbird write,
quoting the e-mail Tiketti really sent."""

from __future__ import annotations

import re
import textwrap
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.mail.redaction import redact_personal_data
from tiketti.mail.tests.test_parsing import CORPUS
from tiketti.tickets import services
from tiketti.tickets.models import Message, Ticket

NEW_TEXT = "Kiitos, kassa toimii taas. Kuitit tulostuvat nyt."
AGENT_TEXT = "Hei Maija,\n\nkäynnistäkää kassa uudelleen ja kokeilkaa sitten maksua."


def ingest(raw: bytes) -> InboundMessage:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _html(text: str) -> str:
    return "<br>".join(text.splitlines())


def gmail(sent: OutgoingEmail) -> tuple[str, str]:
    date = format_datetime(sent.created_at)
    plain = f"{NEW_TEXT}\n\nOn {date} Tiketti <{sent.to}> wrote:\n\n{quoted(sent.body_text)}\n"
    html = (
        f'<div dir="ltr">{NEW_TEXT}</div><br><div class="gmail_quote"><div dir="ltr" '
        f'class="gmail_attr">On {date} Tiketti &lt;{sent.to}&gt; wrote:<br></div>'
        f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{sent.body_html}'
        "</blockquote></div>"
    )
    return plain, html


def outlook(sent: OutgoingEmail) -> tuple[str, str]:
    # Outlook in Finnish: no ">" at all, a header block, then our mail as it was.
    header = (
        "________________________________\nLähettäjä: Tiketti <support@tiketti.localhost>\n"
        "Lähetetty: perjantai 4. joulukuuta 2026 10.05\nVastaanottaja: Maija Virtanen "
        f"<{sent.to}>\nAihe: {sent.subject}"
    )
    plain = f"{NEW_TEXT}\n\n{header}\n\n{sent.body_text}\n"
    html = (
        f'<div>{NEW_TEXT}</div><hr style="display:inline-block;width:98%">'
        f'<div id="divRplyFwdMsg" dir="ltr">{_html(header)}</div>{sent.body_html}'
    )
    return plain, html


def thunderbird(sent: OutgoingEmail) -> tuple[str, str]:
    attribution = "4.12.2026 klo 10.05, Tiketti kirjoitti:"
    plain = f"{NEW_TEXT}\n\n{attribution}\n{quoted(sent.body_text)}\n"
    html = (
        f'<p>{NEW_TEXT}</p><div class="moz-cite-prefix">{attribution}<br></div>'
        f'<blockquote type="cite">{sent.body_html}</blockquote>'
    )
    return plain, html


def marker_only(sent: OutgoingEmail) -> tuple[str, str]:
    # A client that quotes without an attribution line or ">": only our marker tells.
    return f"{NEW_TEXT}\n\n{sent.body_text}\n", ""


def reply_mail(sent: OutgoingEmail, style, *, threaded: bool = True) -> bytes:
    plain, html = style(sent)
    message = EmailMessage()
    message["From"] = f"Maija Virtanen <{sent.to}>"
    message["To"] = "support@tiketti.localhost"
    message["Subject"] = f"Re: {sent.subject}"
    message["Message-ID"] = f"<reply-{style.__name__}-{threaded}@aurora.example>"
    message["Date"] = format_datetime(timezone.now())
    if threaded:
        message["In-Reply-To"] = sent.message_id
        message["References"] = sent.message_id
    message.set_content(plain)
    if html:
        message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    return message.as_bytes()


@pytest.fixture
def sent(main_user, agent):
    """Tiketti's e-mail to Maija with the agent's answer: what her reply quotes."""
    first = ingest(
        textwrap.dedent(
            """\
            From: Maija Virtanen <maija@aurora.example>
            To: support@tiketti.localhost
            Subject: Kassa ei toimi
            Message-ID: <first@aurora.example>
            Content-Type: text/plain; charset=utf-8

            Kassa on jumissa.
            """
        ).encode()
    )
    ticket = first.ticket
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.post_message(
            ticket=ticket, author=agent, body_text=AGENT_TEXT, channel=Ticket.Channel.PORTAL
        )
    answer = OutgoingEmail.objects.filter(ticket=ticket).latest("created_at")
    assert "##-" in answer.body_text and "##-" in answer.body_html  # the marker went out
    return answer


STYLES = [
    pytest.param(gmail, id="gmail"),
    pytest.param(outlook, id="outlook-fi"),
    pytest.param(thunderbird, id="thunderbird-fi"),
    pytest.param(marker_only, id="marker-only"),
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("threaded", [True, False], ids=["in-reply-to", "number-in-subject"])
def test_the_thread_stores_only_the_new_text(sent, style, threaded):
    row = ingest(reply_mail(sent, style, threaded=threaded))
    assert row.reason == "appended" and row.ticket_id == sent.ticket_id
    message = row.ticket_message
    assert message.body_text == NEW_TEXT
    assert message.body_html == ""  # the HTML part holds the whole quote
    assert message.quote_removed
    for gone in ("##-", "käynnistäkää kassa", "kirjoitti", "wrote", "Lähettäjä"):
        assert gone not in message.body_text


def test_the_whole_email_is_one_click_away_in_the_desk_and_the_portal(
    client, sent, agent, main_user
):
    message = ingest(reply_mail(sent, gmail)).ticket_message
    ticket = message.ticket
    pages = [
        (agent, reverse("desk:ticket-detail", args=[ticket.number])),
        (main_user, reverse("portal:ticket-detail", args=[ticket.number])),
    ]
    for person, thread_url in pages:
        client.force_login(person)
        thread = client.get(thread_url).text
        assert NEW_TEXT in thread and "##-" not in thread
        assert "käynnistäkää kassa uudelleen" in thread  # the agent's own entry, once
        assert thread.count("käynnistäkää kassa uudelleen") == 1
        [link] = re.findall(r'<p class="whole-email"><a href="([^"]+)"', thread)
        whole = client.get(link)
        assert whole.status_code == 200
        text = whole.context["text"]
        assert NEW_TEXT in text and "##-" in text and "> käynnistäkää kassa" in text
        assert f'href="{thread_url}#message-{message.pk}"' in whole.text


def test_a_customer_cannot_read_the_whole_email_of_others_or_of_staff(
    client, sent, agent, main_user, stranger
):
    message = ingest(reply_mail(sent, outlook)).ticket_message
    url = reverse("portal:message-whole", args=[message.ticket.number, message.pk])
    client.force_login(stranger)  # another organisation
    assert client.get(url).status_code == 404
    staff_reply = Message.objects.filter(ticket=message.ticket, author=agent).get()
    Message.objects.filter(pk=staff_reply.pk).update(quote_removed=True)
    client.force_login(main_user)
    staff_url = reverse("portal:message-whole", args=[message.ticket.number, staff_reply.pk])
    assert client.get(staff_url).status_code == 404
    assert client.get(url).status_code == 200


def test_a_reply_with_nothing_quoted_has_no_link(client, sent, main_user):
    plain = f"{NEW_TEXT}\n"
    message = ingest(reply_mail(sent, lambda _sent: (plain, ""))).ticket_message
    assert message.body_text == NEW_TEXT and not message.quote_removed
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-detail", args=[message.ticket.number]))
    assert 'class="whole-email"' not in page.text
    url = reverse("portal:message-whole", args=[message.ticket.number, message.pk])
    assert client.get(url).status_code == 404


def test_once_personal_data_is_removed_the_whole_email_is_gone_too(client, sent, agent):
    message = ingest(reply_mail(sent, thunderbird)).ticket_message
    redact_personal_data(message=message, actor=agent)
    client.force_login(agent)
    page = client.get(reverse("desk:message-whole", args=[message.ticket.number, message.pk]))
    assert page.status_code == 200 and page.context["text"] is None
    assert "käynnistäkää" not in page.text.split('class="card whole-message"')[1]


def _as_reply(path: str, sent: OutgoingEmail) -> bytes:
    """A real corpus mail, sent in as Maija's reply: its headers replaced, its body exactly
    as it is."""
    raw = (CORPUS / path).read_bytes()
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    for name in {*message.keys()} - {"MIME-Version", "Content-Type", "Content-Transfer-Encoding"}:
        del message[name]  # the list and delivery headers would make it list mail
    message["From"] = f"Maija Virtanen <{sent.to}>"
    message["Subject"] = f"Re: {sent.subject}"
    message["Message-ID"] = f"<corpus-{path.replace('/', '-')}@aurora.example>"
    return message.as_bytes()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared mail corpus is not here")
@pytest.mark.parametrize(
    ("path", "kept", "left_out", "removed"),
    [
        # A list reply answering below a quote: interleaved quotes stay, as context.
        pytest.param(
            "flanker/from-encoding.eml",
            "Isn't that the case for almost every other server",
            None,
            False,
            id="interleaved-quote-kept",
        ),
        # A Gmail message whose HTML is all gmail_quote divs but which quotes nothing.
        pytest.param(
            "mikel-mail/mime_emails/two_from_in_message.eml",
            "I'm curious, and I might do some digging tomorrow",
            None,
            False,
            id="gmail-html-nothing-quoted",
        ),
    ],
)
def test_real_corpus_replies(sent, path, kept, left_out, removed):
    message = ingest(_as_reply(path, sent)).ticket_message
    assert kept in message.body_text
    assert message.quote_removed is removed
    if left_out:
        assert left_out not in message.body_text
