import pytest
from django.core import mail
from django.urls import reverse

from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client


@pytest.fixture
def caller(main_user):
    main_user.phone = "040 123 4567"
    main_user.save()
    return main_user


def test_customers_do_not_see_the_call_form(client, main_user):
    client.force_login(main_user)
    assert client.get(reverse("desk:new-ticket")).status_code == 404
    assert client.get(reverse("desk:call-caller"), {"phone": "040"}).status_code == 404


def test_agent_logs_a_call_and_lands_on_the_new_ticket(
    agent_client, caller, category, django_capture_on_commit_callbacks
):
    assert agent_client.get(reverse("desk:new-ticket")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("desk:new-ticket"),
            {
                "phone": "+358401234567",
                "notes": "Kassa kaatuu maksaessa",
                "category": "bug",
                "priority": "normal",
                "is_acute": "on",
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:ticket-detail", args=[ticket.number])
    assert (ticket.requester, ticket.channel, ticket.priority) == (caller, "phone", "urgent")
    assert [m.to for m in mail.outbox] == [[caller.email]]
    page = agent_client.get(response["Location"])
    assert "the caller gets the acknowledgement by e-mail" in page.content.decode()


def test_the_lookup_names_the_caller_and_offers_their_open_tickets(
    agent_client, caller, django_assert_max_num_queries
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=caller, subject="Kassa", body_text="x")
    ).created_ticket
    with django_assert_max_num_queries(6):
        response = agent_client.get(reverse("desk:call-caller"), {"phone": "0401234567"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="caller"')  # the partial only
    assert caller.email in html
    assert f'value="{ticket.number}"' in html


def test_the_call_is_added_to_the_chosen_ticket(agent_client, caller):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=caller, subject="Kassa", body_text="x")
    ).created_ticket
    response = agent_client.post(
        reverse("desk:new-ticket"),
        {"phone": "0401234567", "notes": "Soitti uudelleen", "priority": "normal",
         "ticket": ticket.number},
    )  # fmt: skip
    assert response.status_code == 302
    assert Ticket.objects.count() == 1
    assert ticket.messages.latest("pk").body_text == "Soitti uudelleen"


def test_an_unknown_number_asks_for_the_email_address(agent_client, caller):
    response = agent_client.post(
        reverse("desk:new-ticket"), {"phone": "0409999999", "notes": "x", "priority": "normal"}
    )
    assert response.status_code == 400
    assert "Enter the caller&#x27;s e-mail address." in response.content.decode()
    assert not Ticket.objects.exists()
