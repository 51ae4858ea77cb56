import pytest

from tiketti.accounts.models import User
from tiketti.tickets.errors import IntakeRefused, TicketError
from tiketti.tickets.intake import IntakeRequest, Outcome, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


def request_from(requester=None, **fields):
    defaults = {"channel": "portal", "subject": "Kassa ei toimi", "body_text": "Virhe 500"}
    return IntakeRequest(requester=requester, **{**defaults, **fields})


def test_request_becomes_a_ticket_routed_by_category(main_user, category):
    result = submit_request(request_from(main_user, category_slug="bug"))
    ticket = result.ticket
    assert result.outcome == Outcome.CREATED
    assert ticket.status == Ticket.Status.NEW
    assert ticket.organisation == main_user.organisation
    assert ticket.team == category.team
    assert ticket.messages.get().body_text == "Virhe 500"
    assert list(ticket.events.values_list("kind", flat=True)) == [TicketEvent.Kind.CREATED]


def test_unknown_category_is_refused_naming_the_choices(main_user, category):
    with pytest.raises(TicketError) as caught:
        submit_request(request_from(main_user, category_slug="nonsense"))
    assert caught.value.code == "unknown_category"
    assert "bug" in caught.value.message
    assert not Ticket.objects.exists()


def test_unknown_priority_is_refused(main_user, agent):
    with pytest.raises(TicketError) as caught:
        submit_request(request_from(main_user, submitted_by=agent, priority="asap"))
    assert caught.value.code == "unknown_priority"
    assert not Ticket.objects.exists()


def test_address_in_a_customer_domain_becomes_a_new_contact(organisation):
    result = submit_request(
        request_from(requester_email="New.Person@Aurora.example", requester_name="New Person")
    )
    contact = result.ticket.requester
    assert contact.email == "new.person@aurora.example"
    assert contact.organisation == organisation
    assert contact.language == organisation.language
    assert not contact.has_usable_password()


def test_address_outside_any_customer_is_refused(db):
    with pytest.raises(IntakeRefused) as caught:
        submit_request(request_from(requester_email="someone@gmail.example"))
    assert caught.value.code == "unknown_requester"
    assert not User.objects.exists()


def test_staff_cannot_be_the_requester(agent):
    with pytest.raises(IntakeRefused) as caught:
        submit_request(request_from(agent))
    assert caught.value.code == "requester_is_staff"


def test_inactive_contact_is_refused(main_user):
    main_user.is_active = False
    main_user.save()
    with pytest.raises(IntakeRefused):
        submit_request(request_from(main_user))


def test_cc_is_limited_to_the_requesters_organisation(main_user, ordinary_user, stranger):
    result = submit_request(
        request_from(main_user, cc_emails=["JUSSI@aurora.example", stranger.email, "x@y.example"])
    )
    assert list(result.ticket.cc.all()) == [ordinary_user]


def test_reply_through_intake_appends_to_the_ticket(main_user):
    ticket = submit_request(request_from(main_user)).ticket
    result = submit_request(request_from(main_user, body_text="Lisätietoa", ticket=ticket))
    assert result.outcome == Outcome.APPENDED
    assert result.ticket == ticket
    assert ticket.messages.count() == 2
