"""classify(): auto-replies, bounces, lists, loops; on the sisimai corpus and built messages."""

from __future__ import annotations

import pytest

from tiketti.mail.classify import Classification, classify
from tiketti.mail.parsing import parse_email
from tiketti.mail.tests.test_parsing import CORPUS, corpus_files, corpus_message

OWN = frozenset({"support@tiketti.example", "Tuki@Tiketti.example"})


def classify_corpus(relative: str) -> Classification:
    return classify(parse_email(corpus_message(relative)), OWN)


def classify_mail(headers: str, body: str = "Hello, my printer is broken.") -> Classification:
    raw = f"{headers.strip()}\nSubject: test\n\n{body}\n".encode()
    return classify(parse_email(raw), OWN)


# --------------------------------------------------------------------------- bounces (corpus)

# (file, failed recipients, status codes); each verified against the raw message.
BOUNCES = [
    ("sisimai/bsd/lhost-qmail-01.eml", ("kijitora@example.ne.jp",), ("5.5.0",)),  # qmail text
    ("sisimai/bsd/lhost-qmail-02.eml", ("userunknown@example.jp", "filtered@example.jp"), None),
    ("sisimai/bsd/lhost-exim-01.eml", ("kijitora@example.ed.jp",), ("5.7.0",)),  # X-Failed-Rcpt
    # DSN: Original-Recipient (what we sent to) wins over the alias-expanded Final-Recipient
    ("sisimai/bsd/lhost-postfix-01.eml", ("kijitora@example.org",), ("5.1.1",)),
    ("sisimai/bsd/lhost-sendmail-01.eml", ("userunknown@bouncehammer.jp",), ("5.1.1",)),
    ("sisimai/bsd/lhost-gmail-05.eml", ("shironeko@example.jp",), ("5.7.1",)),  # Gmail text
    ("sisimai/bsd/lhost-exchange2003-01.eml", ("kijitora@example.jp",), None),  # Exchange text
    ("sisimai/bsd/lhost-domino-01.eml", ("kijitora@example.jp",), None),  # Domino text
    ("sisimai/bsd/lhost-yahoo-01.eml", ("kijitora@example.org",), ("5.1.1",)),
    (
        "sisimai/bsd/lhost-gmx-03.eml",
        ("mikeneko@example.co.jp", "sabineko@example.co.jp"),
        ("5.2.1", "5.2.2"),
    ),
    # "From: MAILER-DAEMON <>" and no MIME structure at all
    ("sisimai/bsd/lhost-dragonfly-01.eml", ("pseudo-local-part@google.example.com",), None),
    ("sisimai/dos/lhost-aol-01.eml", ("kijitora@example.jp",), None),  # CRLF copy
    ("sisimai/mac/lhost-zoho-01.eml", ("kijitora@example.co.jp",), None),  # bare-CR copy
    ("flanker/bounce/mailbox-full.eml", ("user@aol.com",), ("5.2.2",)),
    (
        "mikel-mail/multipart_report_emails/multi_address_bounce1.eml",
        (
            "bbbbvhvbbvkjbhfbvbvjhb@gmail.com",
            "bscdbcjhasbcjhbdscbhbsdhcbj@gmail.com",
            "egyfefsdvsfvvhjsd@gmail.com",
            "kfhejkfbsjkjsbhds@gmail.com",
            "qfvhgsvhgsduiohncdhcvhsdfvsfygusd@gmail.com",
        ),
        ("5.1.1",),
    ),
]


@pytest.mark.parametrize(("relative", "failed", "codes"), BOUNCES)
def test_bounces_yield_failed_recipients(relative, failed, codes):
    result = classify_corpus(relative)
    assert (result.kind, result.reason) == ("bounce", "bounce")
    assert result.is_bounce and not result.should_auto_reply
    assert set(result.failed_recipients) == set(failed)
    if codes is not None:
        assert result.status_codes == codes


@pytest.mark.parametrize(
    ("relative", "delayed"),
    [
        ("flanker/bounce/no-mx.eml", ("user@example.com",)),  # DSN Action: delayed
        ("sisimai/bsd/lhost-exim-38.eml", ("kijitora@example.co.jp",)),  # Exim text warning
        ("mikel-mail/multipart_report_emails/report_422.eml", ("fraser@oooooooo.com.au",)),
    ],
)
def test_delay_notices_are_bounces_without_failures(relative, delayed):
    result = classify_corpus(relative)
    assert result.kind == "bounce"
    assert (result.failed_recipients, result.delayed_recipients) == ((), delayed)


# Sisimai counts these as bounces; for a helpdesk they are something else.
NOT_BOUNCES_FOR_US = {
    "lhost-amazonses-11.eml": "auto_reply",  # SES complaint / delivery notices over SNS
    "lhost-amazonses-12.eml": "auto_reply",
    "lhost-amazonses-13.eml": "auto_reply",
    "lhost-fml-02.eml": "list",  # mailing-list manager: "you are not a member"
    "lhost-fml-03.eml": "normal",  # mailing-list manager: duplicated Message-ID
    "lhost-postfix-75.eml": "auto_reply",  # postmaster notice with an SMTP transcript
    "lhost-sendmail-14.eml": "normal",  # a bounce forwarded by a person
    "rfc3464-28.eml": "auto_reply",  # a DSN that reports successful delivery
}
# The failed address is only inside a nested bounce of a bounce.
NO_RECIPIENT_FOUND = {"lhost-postfix-49.eml", "lhost-postfix-50.eml"}


def sisimai_bounce_files() -> list[str]:
    return [
        str(path.relative_to(CORPUS))
        for path in corpus_files()
        if path.parent.parent.name == "sisimai"
        and path.parent.name in ("bsd", "dos", "mac")
        and path.name.startswith(("lhost-", "rhost-", "rfc3464-"))
    ]


def test_sisimai_bounce_corpus():
    files = sisimai_bounce_files()
    if not files:
        corpus_message("sisimai")  # skips, or fails on CI, with the reason
    assert len(files) >= 760
    for relative in files:
        name = relative.rsplit("/", 1)[-1]
        result = classify_corpus(relative)
        expected = NOT_BOUNCES_FOR_US.get(name, "bounce")
        assert result.kind == expected, relative
        if expected == "bounce" and name not in NO_RECIPIENT_FOUND:
            assert result.failed_recipients or result.delayed_recipients, relative
            recipients = (*result.failed_recipients, *result.delayed_recipients)
            assert all("@" in address for address in recipients), relative


@pytest.mark.parametrize(
    "relative", ["sisimai/not/is-not-bounce-01.eml", "sisimai/not/is-not-bounce-02.eml"]
)
def test_sisimai_non_bounces(relative):
    result = classify_corpus(relative)
    assert (result.kind, result.should_auto_reply) == ("normal", True)


# --------------------------------------------------------------------------- auto-replies


@pytest.mark.parametrize("number", range(1, 7))
def test_rfc3834_auto_replies(number):
    result = classify_corpus(f"sisimai/bsd/rfc3834-0{number}.eml")
    assert (result.kind, result.reason, result.should_auto_reply) == (
        "auto_reply",
        "auto-reply",
        False,
    )
    assert result.is_auto_reply


@pytest.mark.parametrize(
    ("relative", "signal"),
    [
        ("flanker/complaints/yahoo.eml", "feedback-report"),  # ARF abuse report
        ("sisimai/bsd/arf-01.eml", "feedback-report"),
        ("flanker/disposition-notification.eml", "disposition-notification"),  # read receipt
    ],
)
def test_machine_reports_are_auto_replies(relative, signal):
    result = classify_corpus(relative)
    assert result.kind == "auto_reply"
    assert signal in result.signals


@pytest.mark.parametrize(
    ("headers", "signal"),
    [
        ("Auto-Submitted: auto-replied", "auto-submitted:auto-replied"),
        ("Auto-Submitted: auto-generated", "auto-submitted:auto-generated"),
        ("X-Autoreply: yes", "x-autoreply"),
        ("X-Autorespond: Vacation", "x-autorespond"),
        ("X-AutoGenerated: Reply", "x-autogenerated:reply"),
        ("Precedence: auto_reply", "precedence:auto_reply"),
        ("Return-Path: <>", "null-return-path"),
        ("Return-Path: <MAILER-DAEMON@example.com>", "daemon-sender"),
    ],
)
def test_auto_reply_headers(headers, signal):
    result = classify_mail(f"From: Matti <matti@example.fi>\n{headers}")
    assert (result.kind, result.reason, result.should_auto_reply) == (
        "auto_reply",
        "auto-reply",
        False,
    )
    assert signal in result.signals


@pytest.mark.parametrize(
    "sender",
    ["noreply@example.com", "no-reply@example.com", "do-not-reply@example.com", "postmaster@x.fi"],
)
def test_machine_senders_are_not_answered(sender):
    result = classify_mail(f"From: {sender}")
    assert result.kind == "auto_reply" and not result.should_auto_reply


@pytest.mark.parametrize(
    "subject",
    ["Automatic reply: Printer", "Automaattinen vastaus: Tulostin", "Out of Office: x"],
)
def test_auto_reply_subjects(subject):
    raw = f"From: a@example.com\nSubject: {subject}\n\nI am away.\n".encode()
    assert classify(parse_email(raw), OWN).kind == "auto_reply"


def test_auto_submitted_no_is_a_person():
    result = classify_mail("From: a@example.com\nAuto-Submitted: no")
    assert (result.kind, result.reason, result.should_auto_reply) == ("normal", "", True)


def test_outlook_suppress_header_alone_is_not_an_auto_reply():
    # Outlook puts this on ordinary mail: answer a person, but send no automatic reply.
    result = classify_mail("From: a@example.com\nX-Auto-Response-Suppress: All")
    assert (result.kind, result.is_auto_reply) == ("normal", False)
    assert result.suppress_auto_reply and not result.should_auto_reply


def test_outlook_suppress_header_with_unrelated_values_changes_nothing():
    result = classify_mail("From: a@example.com\nX-Auto-Response-Suppress: DR, RN, NRN")
    assert (result.suppress_auto_reply, result.should_auto_reply) == (False, True)


# --------------------------------------------------------------------------- lists, loops


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("List-Id: <users.lists.example.com>", "mailing-list"),
        ("List-Unsubscribe: <mailto:leave@example.com>", "mailing-list"),
        ("Precedence: list", "mailing-list"),
        ("Precedence: bulk", "bulk"),
        ("Precedence: junk", "bulk"),
    ],
)
def test_lists_and_bulk(headers, reason):
    result = classify_mail(f"From: news@example.com\n{headers}")
    assert (result.kind, result.reason, result.should_auto_reply) == ("list", reason, False)


@pytest.mark.parametrize(
    ("headers", "signal"),
    [
        ("From: Support <SUPPORT@tiketti.example>", "from-own-address"),
        ("From: a@example.com\nX-Loop: support@tiketti.example", "x-loop-own-address"),
        (
            "From: a@example.com\nDelivered-To: tuki@tiketti.example\n"
            "Delivered-To: tuki@tiketti.example",
            "delivered-to-twice",
        ),
        ("From: a@example.com\n" + "Received: from x by y\n" * 31, "too-many-hops"),
    ],
)
def test_loops(headers, signal):
    result = classify_mail(headers)
    assert (result.kind, result.reason, result.should_auto_reply) == ("loop", "loop", False)
    assert signal in result.signals


def test_loop_wins_over_auto_reply():
    result = classify_mail("From: support@tiketti.example\nAuto-Submitted: auto-replied")
    assert result.kind == "loop"


def test_x_loop_naming_someone_else_is_fine():
    assert classify_mail("From: a@example.com\nX-Loop: other@example.org").kind == "normal"


def test_plain_customer_mail_is_normal():
    result = classify_corpus("mikel-mail/plain_emails/basic_email.eml")
    assert result == Classification(kind="normal", reason="", should_auto_reply=True)


def test_human_mail_about_a_bounce_is_not_a_bounce():
    body = "Hi, my mail to you was returned: Undelivered Mail Returned to Sender. User unknown?"
    result = classify_mail("From: Matti <matti@example.fi>", body)
    assert result.kind == "normal"
