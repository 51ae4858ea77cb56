from datetime import timedelta

from django.utils import timezone

from tiketti.status import services
from tiketti.status.sla import breach_excused
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

from .factories import open_incident


def file_ticket(requester, *, due_in_hours):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=requester, subject="Kassa", body_text="Apua")
    ).ticket
    due = timezone.now() + timedelta(hours=due_in_hours)
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=due, first_response_due_at=due)
    return ticket


def excused(clock):
    return set(Ticket.objects.filter(breach_excused(clock)).values_list("number", flat=True))


def test_breaches_are_excused_only_when_an_admin_says_so(admin_user_factory, agent, main_user):
    ticket = file_ticket(main_user, due_in_hours=2)
    open_incident(agent, organisations=[main_user.organisation])
    assert excused("resolution") == set()
    open_incident(admin_user_factory(), organisations=[main_user.organisation], is_sla_exempt=True)
    assert excused("resolution") == {ticket.number}
    assert excused("first_response") == {ticket.number}


def test_exemption_covers_affected_organisations_and_linked_tickets_only(
    admin_user_factory, agent, main_user, stranger
):
    ours = file_ticket(main_user, due_in_hours=2)
    theirs = file_ticket(stranger, due_in_hours=2)
    incident = open_incident(
        admin_user_factory(), organisations=[main_user.organisation], is_sla_exempt=True
    )
    assert excused("resolution") == {ours.number}
    services.link_ticket(incident=incident, ticket=theirs, actor=agent)
    assert excused("resolution") == {ours.number, theirs.number}


def test_a_deadline_before_the_incident_began_is_not_excused(admin_user_factory, main_user):
    file_ticket(main_user, due_in_hours=-3)
    open_incident(admin_user_factory(), is_sla_exempt=True)
    assert excused("resolution") == set()
