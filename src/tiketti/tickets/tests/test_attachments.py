import pytest

from tiketti.tickets.attachments import IncomingFile, safe_filename, sniff_content_type
from tiketti.tickets.errors import AttachmentRefused
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment, Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("content", "declared", "expected"),
    [
        (PNG, "text/plain", "image/png"),  # the bytes decide, not the claim
        (b"%PDF-1.7\n...", "application/octet-stream", "application/pdf"),
        (b"plain words\n", "text/html", "text/plain"),  # never believed to be HTML
        (b"a,b\n1,2\n", "text/csv", "text/csv"),
        (b"\xff\xfe\x00\x01binary", "", "application/octet-stream"),
    ],
)
def test_content_type_is_sniffed(content, declared, expected):
    assert sniff_content_type(content, declared) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\kuva näytöstä.png", "kuva näytöstä.png"),
        ("", "attachment.bin"),
        ("..", "attachment.bin"),
    ],
)
def test_file_names_are_made_safe(name, expected):
    assert safe_filename(name) == expected


def test_oversized_file_is_refused_and_nothing_is_saved(main_user, settings):
    too_big = IncomingFile("huge.bin", b"0" * (settings.TIKETTI_MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(AttachmentRefused) as caught:
        submit_request(
            IntakeRequest(
                channel="portal",
                requester=main_user,
                subject="s",
                body_text="b",
                files=[IncomingFile("ok.txt", b"fine"), too_big],
            )
        )
    assert "huge.bin" in caught.value.message
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_stored_attachment_keeps_name_size_and_hash(main_user):
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=main_user,
            subject="s",
            body_text="b",
            files=[IncomingFile("näyttö.png", PNG)],
        )
    ).ticket
    attachment = ticket.attachments.get()
    assert attachment.filename == "näyttö.png"
    assert attachment.size == len(PNG)
    assert attachment.content_type == "image/png"
    assert len(attachment.sha256) == 64
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG
