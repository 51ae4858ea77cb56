"""Identity codes typed into the portal or the API flag the ticket as mail does, once, in
`tickets.intake`; the desk shows the flag. Only mail asks the sender to use the portal."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from tiketti.api.models import ApiToken
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.tickets.models import Ticket


def ingest(raw: bytes) -> InboundMessage:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def api_call(client, method: str, path: str, token: str, data: object):
    headers = {"Authorization": f"Bearer {token}"}
    return getattr(client, method)(
        f"/api/v1{path}", data=data, content_type="application/json", headers=headers
    )


NOTICE = "The customer sent personal identity codes. Remove them from the messages below."


def desk_page(client, agent, ticket: Ticket) -> str:
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()


def test_a_code_typed_into_the_portal_flags_the_ticket(client, main_user, agent, category):
    client.force_login(main_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("portal:ticket-new"),
            {"subject": "Tunnus", "category": category.pk, "description": "Hetu 131052-308T"},
        )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.personal_data_found_at is not None
    assert not OutgoingEmail.objects.filter(template="personal-data-warning").exists()
    assert NOTICE in desk_page(client, agent, ticket)


def test_a_code_sent_through_the_api_flags_the_ticket_in_a_reply_too(client, main_user, agent):
    _, token = ApiToken.issue(main_user)
    response = api_call(client, "post", "/tickets", token, {"subject": "S", "body": "Hei"})
    number = response.json()["number"]
    assert Ticket.objects.get(number=number).personal_data_found_at is None
    response = api_call(
        client, "post", f"/tickets/{number}/messages", token, {"body": "PESEL 44051401359"}
    )
    assert response.status_code == 201
    ticket = Ticket.objects.get(number=number)
    assert ticket.personal_data_found_at is not None
    assert NOTICE in desk_page(client, agent, ticket)


def test_text_without_a_valid_code_flags_nothing(client, main_user):
    _, token = ApiToken.issue(main_user)
    # Eleven digits that fail PESEL's checksum, and a HETU with a wrong check character.
    body = {"subject": "S", "body": "Tilaus 44051401358, tunnus 131052-308A"}
    number = api_call(client, "post", "/tickets", token, body).json()["number"]
    assert Ticket.objects.get(number=number).personal_data_found_at is None


def test_by_mail_the_sender_is_still_warned_once(main_user):
    raw = (
        b"From: maija@aurora.example\r\nSubject: Tunnus\r\nMessage-ID: <c1@aurora.example>\r\n"
        b"\r\nTunnukseni on 131052-308T\r\n"
    )
    ticket = ingest(raw).ticket
    reply = (
        f"From: maija@aurora.example\r\nSubject: Re: [{ticket.number}]\r\n"
        "Message-ID: <c2@aurora.example>\r\n\r\nJa toinen: 131052-308T\r\n"
    ).encode()
    ingest(reply)
    ticket.refresh_from_db()
    assert ticket.personal_data_found_at is not None
    assert OutgoingEmail.objects.filter(template="personal-data-warning").count() == 1
