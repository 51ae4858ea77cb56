"""The public form and the agency form, through their pages and the intake service."""

import re

import pytest
from django.urls import reverse

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import ContactFactory
from tiketti.mail.models import OutgoingEmail
from tiketti.portal import public_requests
from tiketti.portal.models import AgencyApproval, PendingRequest
from tiketti.tickets.access import visible_tickets
from tiketti.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def form_data(category, **changes):
    data = {
        "name": "Jussi Nieminen",
        "email": "jussi@aurora.example",
        "organisation": "Aurora Oy",
        "subject": "Checkout is broken",
        "category": str(category.pk),
        "description": "The pay button does nothing.",
        "website": "",
    }
    data.update(changes)
    return data


def mailed_link(to, template):
    mail = OutgoingEmail.objects.filter(to=to, template=template).latest("pk")
    return re.search(r"https?://\S+/request/\S+/", mail.body_text).group(0)


def path_of(url):
    return "/request/" + url.split("/request/", 1)[1]


def test_known_contact_files_once_the_mailed_link_is_opened(
    client, category, ordinary_user, django_capture_on_commit_callbacks
):
    ordinary_user.organisation.filing_policy = "all_contacts"
    ordinary_user.organisation.save()
    response = client.post(reverse("public:request"), form_data(category))
    assert response.status_code == 200
    assert Ticket.objects.count() == 0  # nothing is filed before the address is proven
    link = path_of(mailed_link("jussi@aurora.example", "public-request-confirm"))

    assert client.get(link).status_code == 200  # a scanner opening the link files nothing
    assert Ticket.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    ticket = Ticket.objects.get()
    assert ticket.requester == ordinary_user
    assert ticket.channel == Ticket.Channel.PORTAL
    assert ticket.category == category
    assert ticket.number in response.content.decode()
    # The usual acknowledgement goes to the requester.
    assert OutgoingEmail.objects.filter(ticket=ticket, to=ordinary_user.email).exists()
    assert client.post(link).status_code == 404  # one use


def test_unknown_sender_is_pointed_to_sales(client, category, settings):
    settings.TIKETTI_SALES_EMAIL = "myynti@tiketti.example"
    client.post(reverse("public:request"), form_data(category, email="someone@elsewhere.example"))
    link = path_of(mailed_link("someone@elsewhere.example", "public-request-confirm"))
    response = client.post(link, HTTP_ACCEPT_LANGUAGE="fi")
    assert Ticket.objects.count() == 0
    assert "myynti@tiketti.example" in response.content.decode()
    pending = PendingRequest.objects.get()
    assert (pending.status, pending.reason) == ("refused", "unknown_requester")


def test_a_filled_honeypot_records_and_mails_nothing(client, category, ordinary_user):
    response = client.post(reverse("public:request"), form_data(category, website="spam.example"))
    assert response.status_code == 200  # the same answer as a person gets
    assert PendingRequest.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "limited"),
    [
        ({}, True),  # the same address again, from the same client
        ({"email": "other@aurora.example"}, True),  # another address, the same client
        ({"REMOTE_ADDR": "10.0.0.9"}, True),  # the same address, another client
        ({"REMOTE_ADDR": "10.0.0.9", "email": "other@aurora.example"}, False),
    ],
)
def test_requests_are_limited_per_client_and_per_address(
    client, category, settings, changes, limited
):
    settings.TIKETTI_PUBLIC_FORM_LIMIT = 2
    for _ in range(2):
        assert client.post(reverse("public:request"), form_data(category)).status_code == 200
    remote = changes.pop("REMOTE_ADDR", "127.0.0.1")
    response = client.post(
        reverse("public:request"), form_data(category, **changes), REMOTE_ADDR=remote
    )
    assert (response.status_code == 429) is limited
    assert PendingRequest.objects.count() == (2 if limited else 3)


def test_signed_in_customers_get_the_full_form(client, category, ordinary_user):
    client.force_login(ordinary_user)
    response = client.get(reverse("public:request"))
    assert response.status_code == 302
    assert response.url == reverse("portal:ticket-new")


def test_a_forged_link_files_nothing(client):
    assert client.post("/request/confirm/not-a-token/").status_code == 404


def agency_data(category, **changes):
    data = form_data(
        category,
        name="Ada Mainos",
        email="ada@mainostoimisto.example",
        organisation="Mainostoimisto Oy",
        customer="aurora oy",
        subject="Banner on the front page",
    )
    data.update(changes)
    return data


def test_agency_confirmed_by_a_main_user(client, category, main_user):
    colleague = ContactFactory(
        organisation=main_user.organisation, main=True, email="pekka@aurora.example", language="pl"
    )
    send_as_agency(client, category)
    assert Ticket.objects.count() == 0  # held until the customer confirms the agency
    asked = OutgoingEmail.objects.filter(template="agency-confirm")
    assert sorted(asked.values_list("to", "language")) == [
        ("maija@aurora.example", "fi"),
        ("pekka@aurora.example", "pl"),
    ]
    assert "Mainostoimisto Oy" in asked.get(to=colleague.email).subject

    link = path_of(mailed_link(main_user.email, "agency-confirm"))
    assert client.get(link).status_code == 200
    response = client.post(link, {"decision": "confirm"})
    ticket = Ticket.objects.get()
    assert ticket.number in response.content.decode()
    assert ticket.channel == Ticket.Channel.THIRD_PARTY
    assert ticket.requester == main_user
    assert ticket.organisation == main_user.organisation
    agency = User.objects.get(email="ada@mainostoimisto.example")
    assert agency.organisation is None
    assert list(visible_tickets(agency)) == [ticket]  # the agency follows it (cc)
    assert approval_of(agency, main_user).is_confirmed
    # Another main user's link is spent too: the request was decided.
    assert client.post(path_of(mailed_link(colleague.email, "agency-confirm"))).status_code == 404

    # A second request from the same agency for the same customer is not held.
    response = send_as_agency(client, category, subject="Second")
    second = Ticket.objects.get(subject="Second")
    assert second.number in response.content.decode()
    assert set(visible_tickets(agency)) == {ticket, second}
    assert OutgoingEmail.objects.filter(template="agency-confirm").count() == 2  # no new asks


def send_as_agency(client, category, **changes):
    """The agency fills the form and opens the link mailed to it (its address is proven)."""
    response = client.post(reverse("public:agency"), agency_data(category, **changes))
    assert response.status_code == 200
    asked = OutgoingEmail.objects.filter(template="agency-confirm").count()
    subject = changes.get("subject", "Banner on the front page")
    mail = OutgoingEmail.objects.filter(
        to="ada@mainostoimisto.example",
        template="public-request-confirm",
        subject__contains=subject,
    ).latest("pk")
    link = path_of(re.search(r"https?://\S+/request/\S+/", mail.body_text).group(0))
    # Nobody is asked before the agency has proven its address.
    assert OutgoingEmail.objects.filter(template="agency-confirm").count() == asked
    return client.post(link)


def approval_of(agency, main_user):
    return AgencyApproval.objects.get(
        agency_email=agency.email, organisation=main_user.organisation
    )


def test_agency_declined_by_a_main_user(client, category, main_user):
    send_as_agency(client, category)
    response = client.post(
        path_of(mailed_link(main_user.email, "agency-confirm")), {"decision": "decline"}
    )
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert PendingRequest.objects.get().status == PendingRequest.Status.DECLINED
    assert not AgencyApproval.objects.get().is_confirmed
    # Its next request for the customer is refused at once, and nobody is asked again.
    response = client.post(reverse("public:agency"), agency_data(category, subject="Again"))
    assert "has not confirmed your agency" in response.content.decode()
    assert Ticket.objects.count() == 0
    assert OutgoingEmail.objects.filter(template="agency-confirm").count() == 1


def test_staff_confirm_an_agency(category, main_user, agent):
    pending = public_requests.record_agency_request(
        public_requests.PublicForm(
            name="Ada",
            email="ada@mainostoimisto.example",
            organisation="Mainostoimisto Oy",
            subject="Banner",
            description="Please change it.",
            category=category,
            language="fi",
            client_ip="127.0.0.1",
            fields={},
        ),
        main_user.organisation,
    )
    with pytest.raises(public_requests.BadLink):  # not before the agency proved its address
        public_requests.decide_agency(pending, actor=agent, confirm=True)
    assert public_requests.confirm_agency_address(pending) is None  # held for the customer
    result = public_requests.decide_agency(pending, actor=agent, confirm=True)
    assert result is not None and result.ticket is not None
    assert result.ticket.requester == main_user  # filed for the customer's main user
    assert approval_of(User.objects.get(email=pending.email), main_user).decided_by == agent


def test_only_a_main_user_of_the_customer_or_staff_may_decide(
    category, main_user, ordinary_user, stranger
):
    pending = public_requests.record_agency_request(
        public_requests.PublicForm(
            name="Ada",
            email="ada@mainostoimisto.example",
            organisation="M",
            subject="S",
            description="D",
            category=category,
            language="fi",
            client_ip="127.0.0.1",
            fields={},
        ),
        main_user.organisation,
    )
    public_requests.confirm_agency_address(pending)
    for someone in (ordinary_user, stranger):
        with pytest.raises(public_requests.IntakeRefused):
            public_requests.decide_agency(pending, actor=someone, confirm=True)
    assert Ticket.objects.count() == 0


def test_unknown_customer_is_a_form_error(client, category):
    response = client.post(reverse("public:agency"), agency_data(category, customer="Nobody Oy"))
    assert "No customer organisation has this name" in response.content.decode()
    assert PendingRequest.objects.count() == 0


def test_help_center_links_the_public_form_for_visitors(client):
    assert reverse("public:request") in client.get(reverse("knowledge:home")).content.decode()
