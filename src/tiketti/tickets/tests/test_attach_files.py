"""Adding files to a message already posted (`services.attach_files`): the same rules as
files sent with a message, all or nothing."""

import pytest

from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.errors import AttachmentRefused, TicketError
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment, TicketEvent


@pytest.fixture
def ticket(main_user):
    return submit_request(
        IntakeRequest(channel="api", requester=main_user, subject="Help", body_text="Hi")
    ).ticket


def files(count, size=4):
    return [IncomingFile(f"{n}.txt", b"x" * size) for n in range(count)]


def test_files_join_the_message_with_an_event_each_and_bump_the_version(ticket, main_user):
    message = ticket.messages.get()
    version = ticket.version
    services.attach_files(message=message, author=main_user, files=files(2))
    assert [a.filename for a in message.attachments.all()] == ["0.txt", "1.txt"]
    assert TicketEvent.objects.filter(ticket=ticket, kind="attachment").count() == 2
    ticket.refresh_from_db()
    assert ticket.version == version + 1


def test_the_count_limit_includes_the_files_already_there(ticket, main_user, settings):
    message = ticket.messages.get()
    services.attach_files(
        message=message, author=main_user, files=files(settings.TIKETTI_MAX_ATTACHMENTS - 1)
    )
    with pytest.raises(AttachmentRefused):
        services.attach_files(message=message, author=main_user, files=files(2))
    assert message.attachments.count() == settings.TIKETTI_MAX_ATTACHMENTS - 1


def test_a_file_over_the_limit_refuses_the_whole_set(ticket, main_user, settings):
    too_big = IncomingFile("iso.bin", b"0" * (settings.TIKETTI_MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(AttachmentRefused) as caught:
        services.attach_files(
            message=ticket.messages.get(), author=main_user, files=[*files(1), too_big]
        )
    assert caught.value.code == "attachment_too_large"
    assert not Attachment.objects.exists()


def test_a_customer_cannot_add_files_to_a_closed_ticket(ticket, main_user, agent):
    services.change_status(ticket=ticket, actor=agent, status="solved")
    services.change_status(ticket=ticket, actor=agent, status="closed")
    with pytest.raises(TicketError) as caught:
        services.attach_files(message=ticket.messages.get(), author=main_user, files=files(1))
    assert caught.value.code == "ticket_closed"
    assert not Attachment.objects.exists()
