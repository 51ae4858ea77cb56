import pytest
from django.core import mail

from tiketti.accounts.models import Organisation, User
from tiketti.tickets.calls import Call, find_caller, log_call
from tiketti.tickets.errors import TicketError
from tiketti.tickets.intake import IntakeRequest, Outcome, submit_request
from tiketti.tickets.models import Ticket, TicketEvent


@pytest.fixture
def caller(main_user):
    main_user.phone = "+358 40 123 4567"
    main_user.save()
    return main_user


def test_a_call_from_a_known_number_files_a_phone_ticket_and_acknowledges_it(
    agent, caller, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = log_call(
            agent=agent,
            call=Call(
                phone="040-1234567",
                notes="Kassa ei aukea.\nVirhe 500 kirjautuessa.",
                category_slug="bug",
            ),
        )

    ticket = result.created_ticket
    assert result.outcome == Outcome.CREATED
    assert (ticket.requester, ticket.channel) == (caller, Ticket.Channel.PHONE)
    assert ticket.subject == "Kassa ei aukea."
    assert ticket.category == category
    assert ticket.messages.get().channel == Ticket.Channel.PHONE
    assert ticket.events.get(kind=TicketEvent.Kind.CREATED).actor == agent
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == [caller.email]
    assert ticket.number in acknowledgement.subject


def test_an_acute_call_is_filed_urgent(agent, caller):
    ticket = log_call(
        agent=agent, call=Call(phone="0401234567", notes="Verkkokauppa on alhaalla", is_acute=True)
    ).created_ticket
    assert ticket.priority == Ticket.Priority.URGENT


def test_a_call_can_continue_the_callers_open_ticket(agent, caller):
    earlier = submit_request(
        IntakeRequest(channel="email", requester=caller, subject="Kassa", body_text="Eilen")
    ).created_ticket

    result = log_call(
        agent=agent,
        call=Call(
            phone="0401234567",
            notes="Soitti: sama vika jatkuu",
            ticket_number=earlier.number,
            is_acute=True,
        ),
    )

    assert result.outcome == Outcome.APPENDED
    assert Ticket.objects.count() == 1
    message = earlier.messages.latest("pk")
    assert (message.body_text, message.channel) == ("Soitti: sama vika jatkuu", "phone")
    earlier.refresh_from_db()
    assert earlier.priority == Ticket.Priority.URGENT


def test_a_call_cannot_continue_another_organisations_ticket(agent, caller, stranger):
    theirs = submit_request(
        IntakeRequest(channel="portal", requester=stranger, subject="Faktura", body_text="x")
    ).created_ticket
    with pytest.raises(TicketError) as refused:
        log_call(agent=agent, call=Call(phone="0401234567", notes="x", ticket_number=theirs.number))
    assert refused.value.code == "sender_not_on_ticket"
    assert theirs.messages.count() == 1


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (Call(phone="0409999999", notes="x"), "unknown_caller"),
        (Call(phone="not a number", notes="x"), "invalid_phone"),
        (Call(notes="x"), "requester_missing"),
        (Call(phone="0401234567", notes="  "), "empty_message"),
    ],
)
def test_a_call_that_cannot_be_filed_says_why(agent, caller, call, code):
    with pytest.raises(TicketError) as refused:
        log_call(agent=agent, call=call)
    assert refused.value.code == code
    assert not Ticket.objects.exists()


def test_a_number_shared_by_two_contacts_needs_the_email_address(agent, caller, ordinary_user):
    ordinary_user.phone = "040 123 4567"
    ordinary_user.save()
    with pytest.raises(TicketError) as refused:
        log_call(agent=agent, call=Call(phone="0401234567", notes="x"))
    assert refused.value.code == "ambiguous_caller"

    ticket = log_call(
        agent=agent,
        call=Call(phone="0401234567", notes="x", requester_email=ordinary_user.email),
    ).created_ticket
    assert ticket.requester == ordinary_user


def test_a_new_callers_number_is_saved_on_their_contact_card(agent, organisation):
    ticket = log_call(
        agent=agent,
        call=Call(phone="+48 601 234 567", notes="Dzwonię w sprawie faktury",
                  requester_email="Nowy@Aurora.example"),
    ).created_ticket  # fmt: skip
    assert ticket.requester.email == "nowy@aurora.example"
    assert ticket.requester.organisation == organisation
    assert User.objects.get(pk=ticket.requester.pk).phone == "+48601234567"
    assert find_caller("0048601234567").contacts == [ticket.requester]


def test_an_ordinary_users_call_is_not_held_when_staff_take_it(agent, ordinary_user):
    assert ordinary_user.organisation.filing_policy == Organisation.FilingPolicy.MAIN_USERS
    ticket = log_call(
        agent=agent, call=Call(notes="Salasana unohtui", requester_email=ordinary_user.email)
    ).created_ticket
    assert ticket.held_reason == ""


def test_only_staff_log_calls(caller):
    with pytest.raises(TicketError) as refused:
        log_call(agent=caller, call=Call(phone="0401234567", notes="x"))
    assert refused.value.code == "forbidden"


def test_the_caller_lookup_lists_their_open_tickets_only(caller):
    open_one = submit_request(
        IntakeRequest(channel="portal", requester=caller, subject="Auki", body_text="x")
    ).created_ticket
    solved = submit_request(
        IntakeRequest(channel="portal", requester=caller, subject="Valmis", body_text="x")
    ).created_ticket
    Ticket.objects.filter(pk=solved.pk).update(status=Ticket.Status.SOLVED)

    found = find_caller("040 123 4567")
    assert found is not None
    assert found.contacts == [caller]
    assert found.open_tickets == [open_one]
    assert find_caller("hello") is None
