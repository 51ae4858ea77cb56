"""Acute incidents (site down, under attack): flagged at intake on every channel, the
customer is given the plan's on-call number at once, on-call staff are e-mailed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import UserFactory
from tiketti.api.models import ApiToken
from tiketti.contracts.models import Plan
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.tickets import calls
from tiketti.tickets.acute import mentions_acute
from tiketti.tickets.models import Ticket, TicketEvent
from tiketti.tickets.tests.factories import CategoryFactory

ON_CALL = "+358 40 123 4567"


@pytest.fixture
def on_call_plan(main_user):
    plan = Plan.objects.get(contracts__organisation=main_user.organisation)
    plan.on_call_phone = ON_CALL
    plan.save()
    return plan


@pytest.fixture
def on_call(db):
    """Piotr: on call, chose the desk only, reads Polish."""
    return UserFactory(
        agent=True,
        email="piotr@tiketti.example",
        language="pl",
        is_on_call=True,
        notification_delivery=User.Delivery.DESK,
    )


@pytest.fixture
def off_duty(db):
    return UserFactory(agent=True, email="off@tiketti.example")


def _assert_on_call_told(ticket: Ticket, on_call: User, off_duty: User) -> None:
    ticket.refresh_from_db()
    assert ticket.is_acute
    assert ticket.priority == Ticket.Priority.URGENT
    assert ticket.events.filter(kind=TicketEvent.Kind.ACUTE).exists()
    [alert] = OutgoingEmail.objects.filter(ticket=ticket, template="staff-acute")
    assert (alert.to, alert.language) == (on_call.email, "pl")
    assert alert.subject.startswith(f"[{ticket.number}] PILNE:")
    assert not OutgoingEmail.objects.filter(to=off_duty.email).exists()


def _acknowledgement(ticket: Ticket) -> OutgoingEmail:
    return OutgoingEmail.objects.get(ticket=ticket, template="acknowledgement")


def test_the_portal_shows_the_on_call_number_at_once(
    client, main_user, on_call_plan, on_call, off_duty, django_capture_on_commit_callbacks
):
    client.force_login(main_user)
    category = CategoryFactory(slug="bug")
    form = {"subject": "Kauppa", "category": category.pk, "description": "Ei aukea"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:ticket-new"), {**form, "acute": "on"}, follow=True)
    ticket = Ticket.objects.get()
    page = response.content.decode()
    assert ON_CALL in page
    _assert_on_call_told(ticket, on_call, off_duty)
    acknowledgement = _acknowledgement(ticket)
    assert ON_CALL in acknowledgement.body_text and ON_CALL in acknowledgement.body_html


def test_the_api_answers_with_the_on_call_number(
    client, main_user, on_call_plan, on_call, off_duty, django_capture_on_commit_callbacks
):
    _, token = ApiToken.issue(main_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/tickets",
            {"subject": "Site down", "body": "Nothing loads", "acute": True},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201
    assert (response.json()["acute"], response.json()["on_call_phone"]) == (True, ON_CALL)
    _assert_on_call_told(Ticket.objects.get(), on_call, off_duty)


def test_a_mail_saying_the_site_is_down_is_acute(main_user, on_call_plan, on_call, off_duty):
    raw = (
        b"From: maija@aurora.example\nTo: support@tiketti.localhost\n"
        b"Subject: Sivusto alhaalla!\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        b"Verkkokauppa ei vastaa.\n"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
        ticket = inbound.process(row.pk).ticket
    _assert_on_call_told(ticket, on_call, off_duty)
    acknowledgement = _acknowledgement(ticket)
    assert f"Soita päivystysnumeroon nyt: {ON_CALL}" in acknowledgement.body_text


def test_a_phone_call_marked_acute_tells_on_call_staff(
    main_user, on_call_plan, on_call, off_duty, django_capture_on_commit_callbacks
):
    agent = UserFactory(agent=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = calls.log_call(
            agent=agent,
            call=calls.Call(requester_email=main_user.email, notes="Kauppa kaatui", is_acute=True),
        )
    _assert_on_call_told(result.created_ticket, on_call, off_duty)


def test_a_normal_request_gives_no_number_and_tells_nobody_on_call(
    client, main_user, on_call_plan, on_call, django_capture_on_commit_callbacks
):
    _, token = ApiToken.issue(main_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/tickets",
            {"subject": "Question", "body": "How?"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.json()["on_call_phone"] == ""
    assert not OutgoingEmail.objects.filter(to=on_call.email).exists()
    assert ON_CALL not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("subject", "acute"),
    [
        ("Sivusto alhaalla", True),
        ("Verkkokauppa ei toimi – sivusto ei toimi ollenkaan", True),
        ("Strona nie działa od rana", True),
        ("Our site is down", True),
        ("We are under a DDoS attack", True),
        ("Lasku on väärin", False),
        ("Pytanie o fakturę", False),
        ("Question about downloads", False),
    ],
)
def test_acute_words_in_a_mail_subject(subject, acute):
    assert mentions_acute(subject) is acute
