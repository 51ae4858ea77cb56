"""Collision warnings: other agents on a ticket (cache presence, expiring), and a reply
that would cross a newer customer message asks first and keeps the text."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.desk import collisions
from tiketti.desk.collisions import Presence
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Message


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ticket(main_user):
    request = IntakeRequest(
        channel="portal", requester=main_user, subject="Kassa", body_text="Kassa ei toimi."
    )
    return submit_request(request).ticket


@pytest.fixture
def pekka(db):
    return UserFactory(agent=True, email="pekka@tiketti.example", display_name="Pekka Virta")


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client


# (seconds since Pekka's page reported, seconds since he typed, what Sanna sees)
@pytest.mark.parametrize(
    ("seen_ago", "wrote_ago", "expected"),
    [
        (0, None, [Presence("Pekka Virta", writing=False)]),
        (29, None, [Presence("Pekka Virta", writing=False)]),
        (30, None, []),  # two missed polls: gone
        (0, 0, [Presence("Pekka Virta", writing=True)]),
        (5, 19, [Presence("Pekka Virta", writing=True)]),
        (5, 20, [Presence("Pekka Virta", writing=False)]),  # stopped typing: viewing
        (31, 31, []),
    ],
)
def test_presence_expires(ticket, agent, pekka, seen_ago, wrote_ago, expected):
    now = 1_000_000.0
    if wrote_ago is not None:
        collisions.report(ticket, pekka, writing=True, now=now - wrote_ago)
    collisions.report(ticket, pekka, writing=False, now=now - seen_ago)
    assert collisions.others(ticket, agent, now=now) == expected
    assert collisions.others(ticket, pekka, now=now) == []  # never oneself


def test_writers_come_first_and_tickets_are_apart(ticket, main_user, agent, pekka):
    lead = UserFactory(agent=True, email="aino@tiketti.example", display_name="Aino Lahti")
    collisions.report(ticket, lead, writing=False)
    collisions.report(ticket, pekka, writing=True)
    assert collisions.others(ticket, agent) == [
        Presence("Pekka Virta", writing=True),
        Presence("Aino Lahti", writing=False),
    ]
    other = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Muu", body_text="x")
    ).ticket
    assert collisions.others(other, agent) == []


def test_the_presence_endpoint_reports_and_answers_with_the_others(
    agent_client, agent, ticket, pekka
):
    collisions.report(ticket, pekka, writing=True)
    url = reverse("desk:ticket-presence", args=[ticket.number])
    response = agent_client.post(url, {"writing": "1"})
    assert response.status_code == 200
    assert "Pekka Virta is writing a reply" in response.text
    assert collisions.others(ticket, pekka) == [Presence("Sanna Agent", writing=True)]
    assert agent_client.get(url).status_code == 405  # reports are POSTs, never reads


def test_an_unchanged_answer_is_not_swapped_in_again(agent_client, agent, ticket, pekka):
    """The live region is announced when it changes; the same note every poll is not."""
    collisions.report(ticket, pekka, writing=False)
    url = reverse("desk:ticket-presence", args=[ticket.number])
    first = agent_client.post(url)
    [shown] = re.findall(r'name="shown" id="presence-shown" value="([^"]*)"', first.text)
    assert agent_client.post(url, {"shown": shown}).status_code == 204
    collisions.report(ticket, pekka, writing=True)
    changed = agent_client.post(url, {"shown": shown})
    assert changed.status_code == 200 and "Pekka Virta is writing a reply" in changed.text


def test_the_ticket_page_reads_presence_but_writes_none(agent_client, ticket, pekka):
    collisions.report(ticket, pekka, writing=False)
    page = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number]))
    assert 'aria-live="polite"' in page.text and "Pekka Virta is viewing" in page.text
    assert collisions.others(ticket, pekka) == []  # opening the page reported nothing


def test_customers_cannot_report_presence(client, main_user, ticket):
    client.force_login(main_user)
    url = reverse("desk:ticket-presence", args=[ticket.number])
    assert client.post(url).status_code == 404
    assert cache.get(f"tiketti:desk-presence:{ticket.pk}") is None  # nothing reported


def _reply_form(page):
    form = page.context["reply_form"]
    return {name: form[name].value() for name in ("version", "seen_message")}


def test_a_reply_after_a_newer_customer_message_asks_first_and_keeps_the_text(
    agent_client, agent, ticket, main_user
):
    opened = _reply_form(agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])))
    services.post_message(
        ticket=ticket, author=main_user, body_text="Nyt myös kuitti puuttuu.", channel="email"
    )
    url = reverse("desk:ticket-reply", args=[ticket.number])
    answer = {"body": "Kokeile käynnistää kassa uudelleen.", "is_internal": "0", **opened}
    response = agent_client.post(url, answer)
    assert response.status_code == 409
    assert not Message.objects.filter(ticket=ticket, author=agent).exists()
    assert "Nyt myös kuitti puuttuu." in response.text
    assert "Kokeile käynnistää kassa uudelleen." in response.text
    assert 'name="send_anyway"' in response.text
    # The form is now up to date: sending anyway sends, once.
    again = {**answer, **_reply_form(response), "send_anyway": "1"}
    assert agent_client.post(url, again).status_code == 302
    sent = Message.objects.get(ticket=ticket, author=agent)
    assert sent.body_text == "Kokeile käynnistää kassa uudelleen."


@pytest.mark.parametrize(
    ("newer", "asks"),
    [
        ("none", False),
        ("internal note by another agent", False),
        ("public reply by another agent", False),  # the version check guards that one
        ("customer reply", True),
    ],
)
def test_only_a_newer_customer_message_asks(agent, pekka, main_user, ticket, newer, asks):
    seen = ticket.messages.last().pk
    if newer == "internal note by another agent":
        services.post_message(
            ticket=ticket, author=pekka, body_text="muistio", is_internal=True, channel="portal"
        )
    elif newer == "public reply by another agent":
        services.post_message(ticket=ticket, author=pekka, body_text="vastaus", channel="portal")
    elif newer == "customer reply":
        services.post_message(ticket=ticket, author=main_user, body_text="lisää", channel="email")
    assert bool(collisions.newer_customer_messages(ticket, seen)) is asks
    assert collisions.newer_customer_messages(ticket, None) == []


def test_an_internal_note_also_asks_first(agent_client, agent, ticket, main_user):
    opened = _reply_form(agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])))
    services.post_message(
        ticket=ticket, author=main_user, body_text="Uusi viesti.", channel="portal"
    )
    url = reverse("desk:ticket-reply", args=[ticket.number])
    response = agent_client.post(url, {"body": "Huom.", "is_internal": "1", **opened})
    assert response.status_code == 409 and "Uusi viesti." in response.text
    assert not Message.objects.filter(ticket=ticket, is_internal=True).exists()
