"""Reading mbox files: a message starts only at a well-formed From_ line after an empty
line, so an unquoted "From …" in a body stays in the body."""

import io
import re

import pytest
from django.core.management import call_command

from tiketti.mail.mbox import is_from_line, read_mbox
from tiketti.mail.models import InboundMessage

from .test_parsing import require_corpus

FROM_ = b"From alice@example.com Mon Nov 30 10:00:00 2026\n"
ONE = b"From: alice@example.com\nSubject: one\n\n"
TWO = b"From: bob@example.com\nSubject: two\n\n"


def messages(mbox: bytes) -> list[bytes]:
    return list(read_mbox(io.BytesIO(mbox)))


@pytest.mark.parametrize(
    ("mbox", "expected"),
    [
        pytest.param(b"", [], id="empty file"),
        pytest.param(b"\n\n", [], id="only empty lines"),
        pytest.param(FROM_ + ONE + b"Hello\n", [ONE + b"Hello\n"], id="one message, no end line"),
        pytest.param(FROM_ + ONE + b"Hello\n\n", [ONE + b"Hello\n"], id="mbox's end line dropped"),
        pytest.param(
            FROM_
            + ONE
            + b"Hi\n\nFrom now on all orders fail at the payment step.\n\n"
            + FROM_
            + TWO
            + b"Thanks\n",
            [ONE + b"Hi\n\nFrom now on all orders fail at the payment step.\n", TWO + b"Thanks\n"],
            id="unquoted From in a body stays in the body",
        ),
        pytest.param(
            FROM_ + ONE + b"Hi\n\n" + FROM_ + TWO + b"Thanks\n\n",
            [ONE + b"Hi\n", TWO + b"Thanks\n"],
            id="From_ line after an empty line splits",
        ),
        pytest.param(
            FROM_ + ONE + b"Quoted:\n" + FROM_ + b"end\n",
            [ONE + b"Quoted:\n" + FROM_ + b"end\n"],
            id="From_ line without an empty line before it does not split",
        ),
        pytest.param(
            FROM_ + ONE + b">From here\n>>From there\n> From not quoting\n",
            [ONE + b"From here\n>From there\n> From not quoting\n"],
            id="mboxrd quoting undone",
        ),
        pytest.param(
            FROM_.replace(b"\n", b"\r\n")
            + ONE.replace(b"\n", b"\r\n")
            + b"Hi\r\n\r\nFrom now on\r\n>From x\r\n\r\n"
            + FROM_.replace(b"\n", b"\r\n")
            + TWO.replace(b"\n", b"\r\n")
            + b"Thanks\r\n\r\n",
            [
                ONE.replace(b"\n", b"\r\n") + b"Hi\r\n\r\nFrom now on\r\nFrom x\r\n",
                TWO.replace(b"\n", b"\r\n") + b"Thanks\r\n",
            ],
            id="CRLF file keeps CRLF",
        ),
        pytest.param(
            FROM_ + ONE + b"a\n\n\n\n" + FROM_ + TWO + b"b\n",
            [ONE + b"a\n\n\n", TWO + b"b\n"],
            id="only the empty line before a From_ line is dropped",
        ),
        pytest.param(
            FROM_ + b"\n\n" + FROM_ + TWO + b"b\n",
            [TWO + b"b\n"],
            id="blank message left out",
        ),
        pytest.param(
            ONE + b"no From_ line\n\n" + FROM_ + TWO + b"b\n",
            [ONE + b"no From_ line\n", TWO + b"b\n"],
            id="text before the first From_ line is kept",
        ),
    ],
)
def test_read_mbox(mbox, expected):
    assert messages(mbox) == expected


@pytest.mark.parametrize(
    ("line", "separates"),
    [
        (b"From alice@example.com Mon Nov 30 10:00:00 2026\n", True),
        (b"From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info\n", True),
        (b"From alice@example.com Mon Nov 30 10:00 2026\r\n", True),  # no seconds
        (b"From alice@example.com Mon Nov 30 10:00:00 +0200 2026", True),
        (b"From alice@example.com Mon Nov 30 10:00:00 EET 2026", True),
        (b"From alice@example.com Mon Nov 30 10:00:00 2026 +0200", True),
        (b"From bob Tue Jan  2 03:04:05 2024 remote from example", True),
        (b"From Mon Nov 30 10:00:00 2026", True),  # no envelope sender
        (b"From now on all orders fail at the payment step.\n", False),
        (b"From time to time\n", False),
        (b"From alice@example.com\n", False),
        (b"From alice@example.com Mon Nov 30 2026\n", False),  # no time
        (b"From alice@example.com Mon Nov 30 10:00:00\n", False),  # no year
        (b"From a b Mon Nov 30 10:00:00 2026\n", False),  # sender with a space
        (b">From alice@example.com Mon Nov 30 10:00:00 2026\n", False),
        (b"from alice@example.com Mon Nov 30 10:00:00 2026\n", False),
    ],
)
def test_is_from_line(line, separates):
    assert is_from_line(line) is separates


def import_mbox(path) -> str:
    out = io.StringIO()
    call_command("mail", "import", "--mbox", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def summary_counts(output: str) -> tuple[int, dict[str, int]]:
    match = re.fullmatch(r"imported (\d+) message\(s\) \((.*)\)", output)
    assert match, output
    parts = dict(part.split(": ") for part in match[2].split(", "))
    return int(match[1]), {name: int(count) for name, count in parts.items()}


def assert_counts_add_up(output: str, expected: int) -> None:
    """N is what was stored plus what was already stored, and each has an outcome."""
    total, counts = summary_counts(output)
    stored = counts.pop("stored", 0) + counts.pop("already stored", 0)
    assert total == stored == sum(counts.values()) == expected, output


def test_import_keeps_an_unquoted_from_in_the_body(main_user, tmp_path):
    def message(n: int, body: str) -> bytes:
        return (
            f"From: Maija Virtanen <maija@aurora.example>\nTo: support@tiketti.localhost\n"
            f"Subject: Kassa {n}\nMessage-ID: <kassa{n}@aurora.example>\n\n{body}\n"
        ).encode()

    first = message(1, "Hei,\n\nFrom now on all orders fail at the payment step.\n\nMaija")
    second = message(2, "Still broken.")
    path = tmp_path / "old.mbox"
    path.write_bytes(FROM_ + first + b"\n" + FROM_ + second + b"\n")
    output = import_mbox(path)
    assert_counts_add_up(output, 2)
    assert "processed: 2" in output
    assert sorted(bytes(row.raw) for row in InboundMessage.objects.all()) == [first, second]


def test_corpus_mbox_imports_as_the_messages_it_holds(db, tmp_path):
    path = require_corpus() / "cpython" / "mailbox_01.mbox"
    output = import_mbox(path)
    assert_counts_add_up(output, 1)
    row = InboundMessage.objects.get()
    assert bytes(row.raw).endswith(b"\n\nHello\n\nFrom time to time\n")
    assert not bytes(row.raw).startswith(b"From ")
    assert_counts_add_up(import_mbox(path), 1)  # again: already stored, nothing new
    assert InboundMessage.objects.count() == 1


def test_an_import_names_its_mailbox_as_the_admin_wrote_it_in_any_case(db, tmp_path):
    from tiketti.mail.models import Mailbox

    support = Mailbox.objects.create(name="Support", address="support@tiketti.localhost")
    path = tmp_path / "one.mbox"
    path.write_bytes(
        b"From a@b.example Mon Nov 30 10:00:00 2026\nFrom: a@b.example\nSubject: Hi\n\nHello\n"
    )
    out = io.StringIO()
    call_command("mail", "import", "--mbox", str(path), "--mailbox", "support", stdout=out)
    assert InboundMessage.objects.get().mailbox == support
