"""The customer panel on the desk's ticket page (MISSION R25): organisation, plan, quota
left, their other open tickets, their expert and account manager, their setup notes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.contracts.timetracking import log_time
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket


def file(requester, subject):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="x")
    return submit_request(request).created_ticket


def panel_of(page: str) -> str:
    start = page.index('id="customer-panel"')
    return page[start : page.index("</section>", start)]


def test_the_panel_shows_who_the_customer_is_and_what_is_special_about_them(
    client, agent, main_user
):
    organisation = main_user.organisation
    organisation.expert = UserFactory(agent=True, display_name="Eero Expert")
    organisation.account_manager = UserFactory(agent=True, display_name="Aino Manager")
    organisation.notes = "WooCommerce 8 on their own server; the payment plugin is patched."
    organisation.save()
    ticket = file(main_user, "Kassa kaatuu")
    older = file(main_user, "Raportti puuttuu")
    log_time(ticket=ticket, agent=agent, minutes=45)
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode("utf-8")
    panel = panel_of(page)
    for expected in (
        "Aurora Oy",
        "Standard",  # the plan of the contract in force
        "Eero Expert",
        "Aino Manager",
        "the payment plugin is patched",
        older.number,
    ):
        assert expected in panel, expected
    # Sanna reads Finnish: 45 of the plan's 300 minutes used.
    assert "45 / 300 min käytetty, 255 min jäljellä" in panel
    assert ticket.number not in panel  # the other open tickets, not this one


def test_the_panel_costs_the_same_queries_however_many_open_tickets(client, agent, main_user):
    client.force_login(agent)
    ticket = file(main_user, "Ensimmäinen")
    url = reverse("desk:ticket-detail", args=[ticket.number])
    client.get(url)  # warm the caches of names and contracts
    counts = []
    for more in (1, 15):
        for n in range(more):
            file(main_user, f"Lisää {n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Ticket.objects.count() == 17


def test_a_ticket_without_an_organisation_has_no_panel(client, agent, main_user):
    ticket = file(main_user, "Kysymys")
    Ticket.objects.filter(pk=ticket.pk).update(organisation=None)
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert 'id="customer-panel"' not in page
