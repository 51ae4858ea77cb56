import re

from django.urls import reverse

from tiketti.status.models import IncidentTicket
from tiketti.tickets.intake import IntakeRequest, submit_request

from .factories import open_incident, resolve


def file_ticket(requester):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject="Kassa", body_text="Apua")
    ).ticket


def test_status_page_works_without_login_and_sets_no_cookie(client, agent):
    open_incident(agent)
    response = client.get(reverse("status:page"), {"lang": "fi"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.wsgi_request.session.accessed is False
    body = response.content.decode()
    assert "Maksut eivät toimi" in body and "Selvitämme asiaa." in body
    assert response.headers["Content-Language"] == "fi"


def test_status_page_says_all_is_well_and_lists_recently_resolved(client, agent):
    assert 'data-testid="all-ok"' in client.get(reverse("status:page")).content.decode()
    incident = open_incident(agent)
    resolve(incident, agent)
    body = client.get(reverse("status:page"), {"lang": "pl"}).content.decode()
    assert 'data-testid="all-ok"' in body and "Naprawione." in body


def test_portal_shows_the_banner_while_an_incident_is_open(client, agent, main_user):
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-list")).content.decode()
    assert "incident-banner" not in page
    incident = open_incident(agent)
    page = client.get(reverse("portal:ticket-list")).content.decode()
    assert 'data-testid="incident-banner"' in page and "Maksut eivät toimi" in page
    resolve(incident, agent)
    assert "incident-banner" not in client.get(reverse("portal:ticket-list")).content.decode()


def test_banner_costs_one_query_and_none_while_kept(
    client, agent, main_user, django_assert_num_queries
):
    open_incident(agent)
    client.force_login(main_user)
    client.get(reverse("portal:ticket-list"))  # the banner's list is now kept
    with django_assert_num_queries(0):
        from tiketti.status.banner import open_incidents

        assert len(open_incidents()) == 1


def test_agents_see_no_banner(client, agent):
    open_incident(agent)
    client.force_login(agent)
    assert "incident-banner" not in client.get(reverse("desk:queue")).content.decode()


def test_agent_links_a_ticket_from_the_desk_page(client, agent, main_user):
    incident = open_incident(agent)
    ticket = file_ticket(main_user)
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert reverse("status:link-ticket", args=[ticket.number]) in page
    response = client.post(
        reverse("status:link-ticket", args=[ticket.number]), {"incident": incident.pk}
    )
    assert response.status_code == 302
    assert IncidentTicket.objects.filter(incident=incident, ticket=ticket).exists()
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert reverse("status:unlink-ticket", args=[ticket.number]) in page
    client.post(reverse("status:unlink-ticket", args=[ticket.number]), {"incident": incident.pk})
    assert not IncidentTicket.objects.exists()


def test_customers_cannot_link_tickets(client, agent, main_user):
    incident = open_incident(agent)
    ticket = file_ticket(main_user)
    client.force_login(main_user)
    url = reverse("status:link-ticket", args=[ticket.number])
    assert client.post(url, {"incident": incident.pk}).status_code == 404
    assert not IncidentTicket.objects.exists()


def test_linking_to_a_resolved_incident_is_refused_with_a_message(client, agent, main_user):
    incident = open_incident(agent)
    resolve(incident, agent)
    ticket = file_ticket(main_user)
    client.force_login(agent)
    response = client.post(
        reverse("status:link-ticket", args=[ticket.number]), {"incident": incident.pk}, follow=True
    )
    assert "Tämä häiriö on jo korjattu." in response.content.decode()
    assert not IncidentTicket.objects.exists()


def test_contact_opts_out_of_incident_mail(client, main_user):
    client.force_login(main_user)
    assert client.get(reverse("status:notices")).status_code == 200
    client.post(reverse("status:notices"), {})
    main_user.refresh_from_db()
    assert main_user.receives_incident_notices is False
    client.post(reverse("status:notices"), {"receives_incident_notices": "on"})
    main_user.refresh_from_db()
    assert main_user.receives_incident_notices is True


def test_the_desk_suggests_the_incident_affecting_the_ticket_organisation(
    client, agent, main_user, stranger
):
    open_incident(agent, organisations=[stranger.organisation], titles={"en": "Other"})
    open_incident(agent, organisations=[main_user.organisation], titles={"en": "Aurora down"})
    ticket = file_ticket(main_user)
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert 'data-testid="incident-suggestion"' in page
    select = re.search(r'<select id="link-incident".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="\d+"( data-suggested="true")?>([^<]+)</option>', select)
    assert options[0] == (' data-suggested="true"', "Aurora down")
    assert ("", "Other") in options
