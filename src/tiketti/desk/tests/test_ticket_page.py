"""The desk's ticket page speaks the agent's language: history in words, admin-named
things by their names in that language; its queries do not grow with the history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.accounts.tests.factories import TeamFactory
from tiketti.sla.models import SlaPolicy
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def file_ticket(requester, subject="Kassa ei toimi"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hei")
    ).ticket


def busy(ticket, agent, rounds):
    """A ticket worked on for a while: replies, notes, status and team changes."""
    teams = [TeamFactory(), TeamFactory()]
    for index in range(rounds):
        services.post_message(
            ticket=ticket, author=agent, body_text=f"vastaus {index}", channel="portal"
        )
        services.post_message(
            ticket=ticket,
            author=agent,
            body_text=f"muistiinpano {index}",
            channel="portal",
            is_internal=True,
        )
        ticket.refresh_from_db()
        services.assign_ticket(ticket=ticket, actor=agent, assignee=agent, team=teams[index % 2])
        services.record_event(ticket, None, TicketEvent.Kind.SLA, "first_response", "met")


def test_a_finnish_agent_reads_the_history_and_names_in_finnish(client, agent, main_user):
    team = TeamFactory(name="Billing", name_translations={"fi": "Laskutus"})
    ticket = file_ticket(main_user)
    services.assign_ticket(ticket=ticket, actor=agent, assignee=agent, team=team)
    services.record_event(ticket, None, TicketEvent.Kind.SLA, "first_response", "met")
    policy = SlaPolicy.objects.create(
        name="Basic: two business days", name_translations={"fi": "Perus: kaksi arkipäivää"}
    )
    Ticket.objects.filter(pk=ticket.pk).update(sla_policy=policy)
    client.force_login(agent)  # Sanna reads Finnish
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "antoi tiketin tiimille Laskutus" in page
    assert "muutti tilaksi “avoin” (oli “uusi”)" in page
    assert "Ensimmäinen vastaus tavoiteajassa" in page
    assert "Perus: kaksi arkipäivää" in page
    assert "first_response" not in page and "new → open" not in page
    assert ">Laskutus</option>" in page  # the properties form names the team in Finnish too


def test_ticket_page_queries_do_not_grow_with_the_history(client, agent, main_user):
    client.force_login(agent)
    short = file_ticket(main_user, "lyhyt")
    long = file_ticket(main_user, "pitkä")
    busy(short, agent, 1)
    busy(long, agent, 8)
    assert long.events.count() > 3 * short.events.count()
    client.get(reverse("desk:ticket-detail", args=[short.number]))  # warm the name caches
    counts = []
    for ticket in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("desk:ticket-detail", args=[ticket.number]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_messages_are_labelled_by_who_wrote_them_and_how(client, agent, main_user):
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=agent, body_text="Korjattu", channel="portal")
    services.post_message(ticket=ticket, author=main_user, body_text="Kiitos", channel="email")
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    thread = page.partition('id="thread"')[2].partition("</ol>")[0]
    labels = re.findall(r'<span class="channel">([^<]*)</span>', thread)
    assert labels == ["asiakas, asiakasportaalissa", "tuen vastaus", "asiakas, sähköpostitse"]
    assert "verkkolomake" not in thread
