import pytest
from django.core import mail

from tiketti.accounts.tests.factories import ContactFactory, UserFactory
from tiketti.mail.incident_notices import announce_incident
from tiketti.mail.models import OutgoingEmail
from tiketti.status import services
from tiketti.status.errors import IncidentResolved, StaffOnly
from tiketti.status.models import Incident, IncidentTicket
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket
from tiketti.tickets.services import change_status

from .factories import open_incident, resolve


def file_ticket(requester, subject="Payment page broken"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Help")
    ).ticket


@pytest.fixture
def admin(db):
    return UserFactory(admin=True, email="admin@tiketti.example", language="en")


def incident_mails(template):
    return OutgoingEmail.objects.filter(template=template).order_by("to")


def test_start_is_mailed_to_main_users_of_affected_organisations_in_their_language(
    agent, main_user, ordinary_user, stranger, committed
):
    with committed():
        open_incident(agent, organisations=[main_user.organisation])
    sent = list(incident_mails("incident-started"))
    assert [email.to for email in sent] == [main_user.email]
    assert sent[0].language == "fi"
    assert "Maksut eivät toimi" in sent[0].subject
    assert "Selvitämme asiaa." in sent[0].body_text
    assert [message.to for message in mail.outbox] == [[main_user.email]]


def test_incident_for_everyone_reaches_every_main_user_who_has_not_opted_out(
    agent, main_user, stranger, committed
):
    opted_out = ContactFactory(
        organisation=main_user.organisation, main=True, email="pois@aurora.example"
    )
    opted_out.receives_incident_notices = False
    opted_out.save()
    with committed():
        open_incident(agent)
    sent = {email.to: email for email in incident_mails("incident-started")}
    assert set(sent) == {main_user.email, stranger.email}
    assert "Płatności nie działają" in sent[stranger.email].subject


def test_each_notice_goes_out_once_however_often_it_is_announced(agent, main_user, committed):
    with committed():
        incident = open_incident(agent, organisations=[main_user.organisation])
    assert announce_incident(incident.pk, "started") == 0
    assert incident_mails("incident-started").count() == 1


def test_resolution_mails_and_answers_linked_tickets_once_in_the_requesters_language(
    agent, main_user, stranger, committed
):
    incident = open_incident(agent, organisations=[main_user.organisation])
    ours, theirs = file_ticket(main_user), file_ticket(stranger)
    for ticket in (ours, theirs):
        services.link_ticket(incident=incident, ticket=ticket, actor=agent)
    with committed():
        resolve(incident, agent)
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolved_at is not None
    assert [email.to for email in incident_mails("incident-resolved")] == [main_user.email]
    for ticket, text in ((ours, "Korjattu."), (theirs, "Naprawione.")):
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.SOLVED
        replies = ticket.messages.filter(author=agent)
        assert [reply.body_text for reply in replies] == [text]
    assert OutgoingEmail.objects.filter(template="agent-reply", ticket=ours).count() == 1
    assert services.answer_linked_tickets(incident_id=incident.pk) == 0
    assert ours.messages.filter(author=agent).count() == 1
    assert not IncidentTicket.objects.filter(answered_at=None).exists()


def test_a_ticket_solved_by_hand_is_not_answered_again(agent, main_user, committed):
    incident = open_incident(agent)
    ticket = file_ticket(main_user)
    services.link_ticket(incident=incident, ticket=ticket, actor=agent)
    change_status(ticket=ticket, actor=agent, status=Ticket.Status.SOLVED)
    with committed():
        resolve(incident, agent)
    assert IncidentTicket.objects.get().answered_at is not None
    assert not ticket.messages.filter(author=agent).exists()


def test_a_resolved_incident_takes_no_more_updates_or_links(agent, main_user):
    incident = open_incident(agent)
    resolve(incident, agent)
    with pytest.raises(IncidentResolved):
        resolve(incident, agent)
    with pytest.raises(IncidentResolved):
        services.link_ticket(incident=incident, ticket=file_ticket(main_user), actor=agent)


def test_only_staff_open_incidents_and_only_admins_excuse_breaches(agent, admin, main_user):
    with pytest.raises(StaffOnly):
        open_incident(main_user)
    with pytest.raises(StaffOnly):
        open_incident(agent, is_sla_exempt=True)
    incident = open_incident(admin, is_sla_exempt=True)
    assert incident.is_sla_exempt and incident.sla_exempted_by == admin
    assert incident.sla_exempted_at is not None
    with pytest.raises(StaffOnly):
        services.change_incident(incident=incident, actor=agent, is_sla_exempt=False)
    assert Incident.objects.get(pk=incident.pk).is_sla_exempt


def test_the_finnish_main_user_gets_the_notice_over_smtp(agent, main_user, smtp_server, committed):
    with committed():
        open_incident(agent, organisations=[main_user.organisation])
    [message] = smtp_server.messages
    assert message["To"] == main_user.email
    assert "Maksut eivät toimi" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Selvitämme asiaa." in body and "/status/notices/" in body
    assert "Selvitämme häiriötä, joka voi vaikuttaa palveluusi" in body
