"""Maija's data, brought in through the real channels: mail, the portal and the API."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import ContactFactory, UserFactory
from tiketti.api.models import ApiToken
from tiketti.contracts.models import TimeEntry
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage
from tiketti.tickets import services
from tiketti.tickets.models import Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Everything that identifies Maija or that she wrote: none of it may survive erasure.
SECRETS = (
    "Maija Virtanen",
    "maija@aurora.example",
    "+358401234567",
    "Kassa kaatuu aina",
    "Laskutusvirhe tammikuussa",
    "Tilinumeroni on väärin",
    "Rajapinnan kautta lähetetty",
    "Lisätietoa rajapinnasta",
)


def ingest(raw: bytes) -> InboundMessage:
    """Store and process one e-mail as the MTA pipe does, after-commit work included."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        return inbound.process(row.pk)


def mail_from_maija() -> bytes:
    message = EmailMessage()
    message["From"] = "Maija Virtanen <maija@aurora.example>"
    message["To"] = "support@tiketti.localhost"
    message["Subject"] = "Kassa kaatuu aina"
    message["Message-ID"] = "<kassa-1@aurora.example>"
    message.set_content("Kassa kaatuu aina maksun kohdalla. Soittakaa: +358401234567")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="ruutu.png")
    return message.as_bytes()


def api_call(client: Client, method: str, path: str, token: str, data: object = None):
    return getattr(client, method)(
        f"/api/v1{path}",
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@dataclass
class Filed:
    maija: User
    colleague: User
    agent: User
    mail_ticket: Ticket
    portal_ticket: Ticket
    api_ticket: Ticket

    @property
    def tickets(self) -> list[Ticket]:
        return [self.mail_ticket, self.portal_ticket, self.api_ticket]


@pytest.fixture
def admin(db):
    return UserFactory(
        email="admin@tiketti.example", display_name="Aino Admin", staff_role="admin", language="en"
    )


@pytest.fixture
def filed(main_user, organisation, agent, category, client) -> Filed:
    maija = main_user
    maija.phone = "+358401234567"
    maija.save()
    colleague = ContactFactory(
        organisation=organisation, main=True, email="pekka@aurora.example", language="en"
    )
    mail_ticket = ingest(mail_from_maija()).ticket
    services.post_message(
        ticket=mail_ticket,
        author=agent,
        body_text="Hei Maija Virtanen, tutkimme asiaa.",
        channel=Ticket.Channel.PORTAL,
    )
    TimeEntry.objects.create(
        ticket=mail_ticket,
        organisation=organisation,
        agent=agent,
        minutes=30,
        note="Soitin Maija Virtanen",
        is_billable=False,
        worked_at=mail_ticket.created_at,
    )

    client.force_login(maija)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "subject": "Laskutusvirhe tammikuussa",
            "category": category.pk,
            "description": "Tilinumeroni on väärin laskulla.",
            "attachments": [SimpleUploadedFile("lasku.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302, response.content
    client.logout()
    portal_ticket = Ticket.objects.get(channel=Ticket.Channel.PORTAL)

    _, token = ApiToken.issue(maija, name="integraatio")
    response = api_call(
        client,
        "post",
        "/tickets",
        token,
        {"subject": "Rajapinnan kautta lähetetty", "body": "Rajapinnan kautta lähetetty pyyntö."},
    )
    assert response.status_code == 201, response.content
    api_ticket = Ticket.objects.get(number=response.json()["number"])
    response = api_call(
        client,
        "post",
        f"/tickets/{api_ticket.number}/messages",
        token,
        {"body": "Lisätietoa rajapinnasta."},
    )
    assert response.status_code == 201, response.content
    return Filed(maija, colleague, agent, mail_ticket, portal_ticket, api_ticket)
