"""Who may file (MISSION R9): customers with a contract; main users only, unless the
organisation lets every contact file. The rule holds for every channel, via intake."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tiketti.accounts.models import Organisation
from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory
from tiketti.mail import inbound
from tiketti.tickets import services
from tiketti.tickets.errors import IntakeRefused, TicketError
from tiketti.tickets.intake import IntakeRequest, Outcome, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


def file(requester, channel="portal"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return submit_request(
            IntakeRequest(channel=channel, requester=requester, subject="Apua", body_text="Hei")
        )


def test_main_users_request_becomes_a_ticket(main_user):
    assert file(main_user).outcome == Outcome.CREATED


def test_ordinary_users_request_is_held_not_acknowledged_and_outside_the_queue(ordinary_user):
    result = file(ordinary_user)
    assert result.outcome == Outcome.HELD and result.reason == "not_main_user"
    ticket = result.ticket
    assert ticket.held_reason == "not_main_user"
    assert ticket.sla_policy is None
    assert mail.outbox == []
    assert ticket not in Ticket.objects.unresolved()
    assert ticket in Ticket.objects.held()


def test_every_contact_may_file_when_the_organisation_allows_it(ordinary_user):
    organisation = ordinary_user.organisation
    organisation.filing_policy = Organisation.FilingPolicy.ALL_CONTACTS
    organisation.save()
    assert file(ordinary_user).outcome == Outcome.CREATED


def test_organisation_without_a_contract_is_not_a_customer(db, settings):
    settings.TIKETTI_SALES_EMAIL = "sales@tiketti.example"
    lapsed = OrganisationFactory(name="Lapsed", contract=False)
    contact = ContactFactory(organisation=lapsed, main=True)
    with pytest.raises(IntakeRefused) as caught:
        file(contact)
    assert caught.value.code == "not_a_customer"
    assert "sales@tiketti.example" in caught.value.message
    assert not Ticket.objects.exists()


def test_staff_accept_a_held_request_on_behalf_of_a_main_user(ordinary_user, main_user, agent):
    ticket = file(ordinary_user).ticket
    with TestCase.captureOnCommitCallbacks(execute=True):
        ticket = services.accept_held_ticket(ticket=ticket, actor=agent, on_behalf_of=main_user)
    assert ticket.held_reason == "" and ticket in Ticket.objects.unresolved()
    assert ticket.sla_started_at is not None
    event = ticket.events.get(kind=TicketEvent.Kind.ACCEPTED)
    assert event.new_value == str(main_user) and event.actor == agent
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == [ordinary_user.email]


def test_accepting_on_behalf_of_a_stranger_is_refused(ordinary_user, stranger, agent):
    ticket = file(ordinary_user).ticket
    with pytest.raises(TicketError):
        services.accept_held_ticket(ticket=ticket, actor=agent, on_behalf_of=stranger)
    ticket.refresh_from_db()
    assert ticket.held_reason == "not_main_user"


def test_declined_request_is_solved(ordinary_user, agent):
    ticket = services.decline_held_ticket(ticket=file(ordinary_user).ticket, actor=agent)
    assert ticket.status == Ticket.Status.SOLVED and ticket.held_reason == ""


def test_ordinary_users_mail_is_held_and_told_to_ask_a_main_user(ordinary_user):
    raw = b"From: jussi@aurora.example\r\nSubject: Apua\r\n\r\nKassa ei toimi\r\n"
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via="pipe")
        row = inbound.process(row.pk)
    assert inbound.describe(row) == "held not_main_user"
    assert row.ticket.held_reason == "not_main_user"
    [reply] = mail.outbox
    assert reply.to == ["jussi@aurora.example"]
    assert "main user" in reply.body or "pääkäyttäjä" in reply.body


def test_ordinary_user_sees_the_held_request_in_the_portal(client, ordinary_user):
    ticket = file(ordinary_user).ticket
    client.force_login(ordinary_user)
    assert ticket.number in client.get(reverse("portal:ticket-list")).content.decode()


def test_desk_lists_held_requests_and_accepts_them(client, ordinary_user, main_user, agent):
    ticket = file(ordinary_user).ticket
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    default_queue = client.get(reverse("desk:queue")).context["page"].object_list
    assert ticket not in default_queue
    held_queue = client.get(reverse("desk:queue"), {"status": "held"}).context["page"].object_list
    assert list(held_queue) == [ticket]
    response = client.post(
        reverse("desk:ticket-accept", args=[ticket.number]), {"on_behalf_of": main_user.pk}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.held_reason == ""
