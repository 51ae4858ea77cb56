"""Real mail that customers send and the stdlib alone gets wrong (issue 14, "Parsing real
mail"): small hand-made messages of each kind, one table per kind. No database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiketti.mail.parsing import charsets, parse_email
from tiketti.mail.parsing.detect import guess
from tiketti.mail.parsing.pgp import strip_pgp_armour
from tiketti.mail.parsing.repair import repair_header_block
from tiketti.mail.parsing.uuencode import extract_uuencoded

PLAIN = b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"


# --------------------------------------------------------------------------- broken headers


@pytest.mark.parametrize(
    ("raw", "sender", "subject", "body"),
    [
        pytest.param(
            b"Received: from mx.example.com\nX-Face: VGhpcyBpcyBhIGZhY2U=\n"
            b"QmFzZTY0IHRoYXQgbG9zdCBpdHMgaW5kZW50\nU28gdGhlIGhlYWRlcnMgYnJlYWs=\n"
            b"From: Maija <maija@aurora.example>\nSubject: Kassa ei toimi\n"
            b"Content-Type: text/plain; charset=utf-8\n\nMaksu-nappi antaa virheen.\n",
            "maija@aurora.example",
            "Kassa ei toimi",
            "Maksu-nappi antaa virheen.",
            id="unindented-base64-lines-between-headers",
        ),
        pytest.param(
            b"This is not a header\nFrom: jan@kowalski.example\nSubject: Faktura\n"
            b"Date: Mon, 15 Jan 2024 10:12:00 +0100\n\nProsze o fakture.\n",
            "jan@kowalski.example",
            "Faktura",
            "Prosze o fakture.",
            id="first-line-not-a-header",
        ),
        pytest.param(
            b">From someone Mon Jan 15 10:12:00 2024\nFrom: a@example.com\nTo: b@example.com\n"
            b"Subject: Escaped mbox line\n\nBody text.\n",
            "a@example.com",
            "Escaped mbox line",
            "Body text.",
            id="escaped-mbox-separator-first",
        ),
        pytest.param(
            b"From: a@example.com\nSubject: No blank line\nHello, this starts the body\n"
            b"and goes on.\n",
            "a@example.com",
            "No blank line",
            "Hello, this starts the body\nand goes on.",
            id="missing-separator-keeps-the-body",
        ),
        pytest.param(
            b"From  : John Doe <jdoe@machine.example>\nTo    : Mary Smith\n__\n"
            b"          <mary@example.net>\nSubject     : Saying Hello\n\nHello.\n",
            "jdoe@machine.example",
            "Saying Hello",
            "Hello.",
            id="obsolete-space-before-colon",
        ),
        pytest.param(
            b"Send list submissions to\n\tppp@zzz.example\n\nToday's Topics:\n",
            "",
            "",
            "Send list submissions to\n\tppp@zzz.example\n\nToday's Topics:",
            id="no-headers-at-all-keeps-the-body",
        ),
    ],
)
def test_headers_after_a_garbage_line_are_recovered(raw, sender, subject, body):
    parsed = parse_email(raw)
    assert (parsed.from_address, parsed.subject, parsed.body_text) == (sender, subject, body)


# --------------------------------------------------------------------------- 8-bit headers


def _mixed(subject: bytes, filename: bytes, charset: bytes, text: bytes) -> bytes:
    return (
        b"From: a@example.com\nSubject: " + subject + b"\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
        b"Content-Type: text/plain; charset=" + charset + b"\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + text + b"\n--B\n"
        b'Content-Type: application/octet-stream; name="' + filename + b'"\n'
        b'Content-Disposition: attachment; filename="' + filename + b'"\n\nxyz\n--B--\n'
    )


@pytest.mark.parametrize(
    ("raw", "subject", "filename"),
    [
        pytest.param(
            _mixed(
                "测试邮件主题".encode("gb2312"),
                "报告.pdf".encode("gb2312"),
                b"gb2312",
                "正文内容".encode("gb2312"),
            ),
            "测试邮件主题",
            "报告.pdf",
            id="gb2312-declared-by-a-part",
        ),
        pytest.param(
            _mixed(
                "日本語の件名".encode("shift_jis"),
                "新しいテキスト ドキュメント.txt".encode("shift_jis"),
                b"shift_jis",
                "本文です".encode("shift_jis"),
            ),
            "日本語の件名",
            "新しいテキスト ドキュメント.txt",
            id="shift-jis-declared-by-a-part",
        ),
        pytest.param(
            b"From: a@example.com\nSubject: "
            + "見積もりのお願い".encode("shift_jis")
            + b"\n\nplain ascii body\n",
            "見積もりのお願い",
            "",
            id="shift-jis-nothing-declared",
        ),
        pytest.param(
            b"From: a@example.com\nSubject: "
            + "关于发票的问题".encode("gb2312")
            + b"\n\nplain ascii body\n",
            "关于发票的问题",
            "",
            id="gb2312-nothing-declared",
        ),
        pytest.param(
            b"From: a@example.com\nSubject: Hyv\xe4\xe4 p\xe4iv\xe4\xe4\n\nbody\n",
            "Hyvää päivää",
            "",
            id="windows-1252-still-windows-1252",
        ),
        pytest.param(
            b"From: a@example.com\nSubject: " + "Zażółć gęślą".encode() + b"\n\nbody\n",
            "Zażółć gęślą",
            "",
            id="utf-8-still-utf-8",
        ),
    ],
)
def test_raw_8bit_subjects_and_file_names_are_decoded(raw, subject, filename):
    parsed = parse_email(raw)
    assert parsed.subject == subject
    assert [a.filename for a in parsed.attachments] == ([filename] if filename else [])


def test_a_latin_name_is_not_guessed_into_box_drawing():
    """RFC 2231 says iso-2022-jp, the byte says windows-1252: the guess keeps the letter."""
    raw = _mixed(b"s", b"x", b"us-ascii", b"t").replace(
        b'name="x"', b"name*=iso-2022-jp'ja'01%20Quien%20Te%20Dij%8aat.mp3"
    )
    assert [a.filename for a in parse_email(raw).attachments] == ["01 Quien Te DijŠat.mp3"]


# --------------------------------------------------------------------------- senders


@pytest.mark.parametrize(
    ("headers", "name", "address"),
    [
        (b'From: "John (home)" <a@b.example>', "John (home)", "a@b.example"),
        (b"From: a@b.example (John Doe)", "John Doe", "a@b.example"),
        (b"From: John Doe (Sales) <a@b.example>", "John Doe (Sales)", "a@b.example"),
        (b"From: Team: a@b.example, c@d.example;", "", "a@b.example"),
        (b'From: Team: "J D" <jd@example.com>, c@d.example;', "J D", "jd@example.com"),
        (b"From: Undisclosed: ;\nSender: s@example.com", "", "s@example.com"),
        (b"From: Undisclosed: ;\nReturn-Path: <rp@example.com>", "", "rp@example.com"),
        (b"From: undisclosed-recipients:;\nReturn-Path: <>", "", ""),
        (b'From: "john.doe"@example.com', "", "john.doe@example.com"),
        (b'From: John <"john.doe"@example.com>', "John", "john.doe@example.com"),
        (b'From: "john doe"@example.com', "", '"john doe"@example.com'),
    ],
)
def test_unusual_from_headers_give_the_right_sender(headers, name, address):
    parsed = parse_email(headers + b"\nSubject: s\n\nbody\n")
    assert (parsed.from_name, parsed.from_address) == (name, address)


# --------------------------------------------------------------------------- attachments


def _parts(*parts: bytes, kind: bytes = b"mixed") -> bytes:
    body = b"".join(b"--B\n" + part + b"\n" for part in parts)
    return (
        b"From: a@example.com\nSubject: s\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/" + kind + b'; boundary="B"\n\n' + body + b"--B--\n"
    )


ALTERNATIVE = (
    b'Content-Type: multipart/alternative; boundary="A"\n\n--A\n'
    b"Content-Type: text/plain\n\nHello\n--A\nContent-Type: text/html\n\n<p>Hello</p>\n--A--\n"
)
PDF = b"Content-Type: application/pdf\nContent-Disposition: attachment; filename=report.pdf\n\n%PDF"


@pytest.mark.parametrize(
    ("raw", "names", "body_html"),
    [
        pytest.param(
            _parts(ALTERNATIVE, b"Content-Type: text/html\n\n<p>Invoice 12</p>"),
            ["attachment-1.html"],
            "<p>Hello</p>",
            id="second-html-part-after-the-alternative",
        ),
        pytest.param(
            _parts(
                b"Content-Type: text/plain\n\nSee below.", b"Content-Type: text/html\n\n<b>x</b>"
            ),
            ["attachment-1.html"],
            "",
            id="html-part-after-a-plain-body",
        ),
        pytest.param(
            _parts(
                b"Content-Type: text/plain\n\nSee attached.",
                b"Content-Type: text/html\nContent-Disposition: attachment\n\n<p>r</p>",
            ),
            ["attachment-1.html"],
            "",
            id="attached-html-without-a-name",
        ),
        pytest.param(
            _parts(b"Content-Type: text/html\n\n<p>Only html</p>"),
            [],
            "<p>Only html</p>",
            id="html-only-body-stays-the-body",
        ),
        pytest.param(
            _parts(
                b"Content-Type: text/plain\n\nTwo reports.",
                PDF,
                PDF,
                PDF.replace(b"report.pdf", b"REPORT.pdf"),
            ),
            ["report.pdf", "report (2).pdf", "REPORT (3).pdf"],
            "",
            id="same-name-made-distinct",
        ),
    ],
)
def test_html_parts_are_kept_and_names_are_distinct(raw, names, body_html):
    parsed = parse_email(raw)
    assert [a.filename for a in parsed.attachments] == names
    assert parsed.body_html == body_html


def test_apple_mail_html_around_an_inline_image_stays_one_body():
    related = (
        b'Content-Type: multipart/mixed; boundary="M"\n\n--M\n'
        b"Content-Type: text/html\n\n<p>Before</p>\n--M\n"
        b"Content-Type: image/png\nContent-Disposition: inline; filename=a.png\n\nPNG\n--M\n"
        b"Content-Type: text/html\n\n<p>After</p>\n--M--\n"
    )
    alternative = (
        b'Content-Type: multipart/alternative; boundary="A"\n\n--A\n'
        b"Content-Type: text/plain\n\nBefore After\n--A\n" + related + b"--A--\n"
    )
    parsed = parse_email(_parts(alternative))
    assert [a.filename for a in parsed.attachments] == ["a.png"]
    assert "<p>Before</p>" in parsed.body_html and "<p>After</p>" in parsed.body_html


# --------------------------------------------------------------------------- body charsets


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("тест тест", "koi8-r"),
        ("Привет, это проверка связи.", "koi8-r"),
        ("Привет, это проверка связи.", "cp1251"),
        ("Zażółć gęślą jaźń, dzień dobry.", "cp1250"),
        ("Hyvää päivää, kiitos viestistä.", "cp1252"),
        ("こんにちは、請求書について", "shift_jis"),
        ("您好，关于发票的问题", "gb2312"),
    ],
)
def test_8bit_text_without_any_charset_is_detected(text, encoding):
    raw = b"From: a@example.com\nSubject: s\n\n" + text.encode(encoding) + b"\n"
    assert parse_email(raw).body_text == text


def test_a_correctly_labelled_part_is_not_second_guessed():
    raw = PLAIN.replace(b"utf-8", b"koi8-r") + b"Subject: s\n\n" + "тест".encode("koi8-r")
    assert parse_email(raw).body_text == "тест"


# --------------------------------------------------------------------------- uuencode


UU_LINES = (
    b"begin 644 hello.txt\n"
    b'M2&5L;&\\L(\'=O<FQD(2!(96QL;RP@=V]R;&0A($AE;&QO+"!W;W)L9"$@2&5L\n'
    b'";&\\`\n'
    b"`\n"
    b"end\n"
)


@pytest.mark.parametrize(
    ("body", "text", "names"),
    [
        pytest.param(
            b"Hello,\n\nthe log is attached.\n\n" + UU_LINES + b"\nRegards, Matti\n",
            "Hello,\n\nthe log is attached.\n\nRegards, Matti",
            ["hello.txt"],
            id="lotus-notes-inline-file",
        ),
        pytest.param(
            b"Two files:\n" + UU_LINES + UU_LINES.replace(b"hello.txt", b"C:\\tmp\\b.txt"),
            "Two files:",
            ["hello.txt", "b.txt"],
            id="two-files-and-a-path",
        ),
        pytest.param(
            b"Our process:\nbegin 644 is how it starts\nand then we end\n",
            "Our process:\nbegin 644 is how it starts\nand then we end",
            [],
            id="prose-that-looks-like-begin-stays",
        ),
        pytest.param(
            b"Cut off:\nbegin 644 x.bin\nM86)C\n",
            "Cut off:\nbegin 644 x.bin\nM86)C",
            [],
            id="no-end-line-stays-text",
        ),
    ],
)
def test_inline_uuencoded_files_become_attachments(body, text, names):
    parsed = parse_email(b"From: a@example.com\nSubject: s\n\n" + body)
    assert parsed.body_text == text
    assert [a.filename for a in parsed.attachments] == names


def test_uuencoded_content_is_decoded():
    parsed = parse_email(b"From: a@example.com\nSubject: s\n\n" + UU_LINES)
    expected = b"Hello, world! Hello, world! Hello, world! Hello"
    assert parsed.attachments[0].content == expected
    assert parsed.attachments[0].content_type == "text/plain"


# --------------------------------------------------------------------------- PGP


SIGNED = (
    b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
    b"Hello,\n\n- -- not a signature separator\n- -----BEGIN fake\nThe printer is broken.\n"
    b"-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n"
)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        pytest.param(
            SIGNED,
            "Hello,\n\n-- not a signature separator\n-----BEGIN fake\nThe printer is broken.",
            id="clearsigned",
        ),
        pytest.param(
            b"Before it.\n\n" + SIGNED + b"\nAfter it.\n",
            "Before it.\n\nHello,\n\n-- not a signature separator\n-----BEGIN fake\n"
            "The printer is broken.\n\nAfter it.",
            id="clearsigned-inside-text",
        ),
        pytest.param(
            b"Just text\n-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n",
            "Just text",
            id="detached-signature-block",
        ),
        pytest.param(
            b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nNever signed to the end.\n",
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nNever signed to the end.",
            id="unterminated-armour-stays",
        ),
    ],
)
def test_inline_pgp_armour_is_stripped_and_the_text_kept(body, text):
    parsed = parse_email(b"From: a@example.com\nSubject: s\n\n" + body)
    assert parsed.body_text == text


def test_pgp_mime_signature_is_kept_as_an_attachment_and_the_text_whole():
    raw = _parts(
        b"Content-Type: text/plain\n\nSigned words.",
        b'Content-Type: application/pgp-signature; name="signature.asc"\n\n'
        b"-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----",
        kind=b'signed; protocol="application/pgp-signature"; micalg=pgp-sha256',
    )
    parsed = parse_email(raw)
    assert parsed.body_text == "Signed words."
    assert [a.filename for a in parsed.attachments] == ["signature.asc"]


# --------------------------------------------------------------------------- properties

LINES = st.sampled_from(
    [
        "-----BEGIN PGP SIGNED MESSAGE-----",
        "Hash: SHA256",
        "-----BEGIN PGP SIGNATURE-----",
        "-----END PGP SIGNATURE-----",
        "- -- escaped",
        "begin 644 a.txt",
        "M86)C",
        "`",
        "end",
        "",
        "plain words",
        "From: a@example.com",
        "X-Face: abc",
        "QmFzZTY0",
        "From  : b@example.com",
        " folded",
        "--boundary",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_armour_and_uuencode_never_raise_and_only_remove_their_own_lines(lines):
    text = "\n".join(lines)
    stripped = strip_pgp_armour(text)
    if "-----BEGIN PGP " not in text:
        assert stripped == text
    without_files, files = extract_uuencoded(text)
    if not files:
        assert without_files == text
    assert "plain words" not in text or "plain words" in without_files


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_header_repair_never_raises_and_keeps_every_header_line(lines):
    raw = "\n".join(lines).encode()
    repaired = repair_header_block(raw)
    if repaired is not None:
        kept = repaired[0].decode()
        for line in lines:
            if line.startswith(("From: ", "X-Face: ")):
                assert line in kept
    assert isinstance(parse_email(raw).defects, tuple)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.lists(st.sampled_from(["", "cp1252", "gb18030", "bogus"])))
def test_the_charset_guess_never_raises(data, hints):
    text, codec = guess(data, *hints)
    assert isinstance(text, str) and codec


def test_labelled_and_ascii_text_is_never_guessed(monkeypatch):
    """The guess costs a dozen decodes and scorings: ordinary mail must not pay for it."""

    def refuse(*args: object) -> tuple[str, str]:
        raise AssertionError("guessed")

    monkeypatch.setattr(charsets, "guess", refuse)
    labelled = PLAIN.replace(b"utf-8", b"koi8-r") + b"Subject: s\n\n" + "тест".encode("koi8-r")
    assert parse_email(labelled).body_text == "тест"
    assert parse_email(b"From: a@example.com\nSubject: plain\n\nascii only\n").subject == "plain"
    utf8 = b"From: a@example.com\nSubject: " + "Zażółć".encode() + b"\n\n" + "ok ü".encode()
    assert parse_email(utf8).body_text == "ok ü"
    unlabelled = b"From: a@example.com\nSubject: s\n\n" + "тест".encode("koi8-r")
    assert any("AssertionError" in defect for defect in parse_email(unlabelled).defects)
