import pytest
from django.http import Http404

from tiketti.tickets import services
from tiketti.tickets.access import (
    get_attachment_for_user,
    get_ticket_for_user,
    visible_messages,
    visible_tickets,
)
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.intake import IntakeRequest, submit_request


def file_ticket(requester, subject="Help"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    ).ticket


def test_main_user_sees_the_organisations_tickets(main_user, ordinary_user, stranger):
    own = file_ticket(main_user)
    colleague = file_ticket(ordinary_user)
    file_ticket(stranger)
    assert set(visible_tickets(main_user)) == {own, colleague}


def test_ordinary_user_sees_only_own_and_cc_tickets(main_user, ordinary_user):
    file_ticket(main_user)
    own = file_ticket(ordinary_user)
    copied = file_ticket(main_user, "cc")
    copied.cc.add(ordinary_user)
    assert set(visible_tickets(ordinary_user)) == {own, copied}


def test_other_organisations_ticket_is_a_404(main_user, stranger):
    ticket = file_ticket(main_user)
    with pytest.raises(Http404):
        get_ticket_for_user(stranger, ticket.number)


def test_internal_notes_and_their_files_are_hidden_from_customers(main_user, agent):
    ticket = file_ticket(main_user)
    note = services.post_message(
        ticket=ticket,
        author=agent,
        body_text="internal",
        channel="portal",
        is_internal=True,
        files=[IncomingFile("notes.txt", b"secret")],
    )
    assert note not in visible_messages(main_user, ticket)
    assert note in visible_messages(agent, ticket)
    attachment = note.attachments.get()
    with pytest.raises(Http404):
        get_attachment_for_user(main_user, attachment.key)
    assert get_attachment_for_user(agent, attachment.key) == attachment


def test_attachment_of_another_organisation_is_a_404(main_user, stranger):
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=main_user,
            subject="s",
            body_text="b",
            files=[IncomingFile("shot.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)],
        )
    ).ticket
    attachment = ticket.attachments.get()
    with pytest.raises(Http404):
        get_attachment_for_user(stranger, attachment.key)
