"""Who on the staff hears of what, by the channel each chose: e-mail (and the desk) or
the desk only. Real outgoing mail rows, delivered to a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import UserFactory
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import StaffNotice


@pytest.fixture
def colleague(team):
    """Pekka: in the Support team, English, desk-only."""
    user = UserFactory(
        agent=True,
        email="pekka@tiketti.example",
        display_name="Pekka Agent",
        language="en",
        notification_delivery=User.Delivery.DESK,
    )
    user.teams.add(team)
    return user


@pytest.fixture
def file(main_user, django_capture_on_commit_callbacks):
    def file(**fields):
        defaults = {"channel": "portal", "subject": "Kassa ei toimi", "body_text": "Virhe 500"}
        with django_capture_on_commit_callbacks(execute=True):
            request = IntakeRequest(requester=main_user, **{**defaults, **fields})
            return submit_request(request).created_ticket

    return file


def staff_mail(ticket):
    return OutgoingEmail.objects.filter(ticket=ticket).exclude(template="acknowledgement")


def test_the_team_hears_of_a_new_unassigned_ticket_each_as_they_chose(
    file, category, agent, colleague, smtp_server
):
    ticket = file(category_slug="bug")
    # Sanna chose e-mail and reads Finnish; Pekka chose the desk only.
    [sent] = staff_mail(ticket)
    assert (sent.to, sent.template, sent.language) == (agent.email, "staff-new-ticket", "fi")
    assert sent.subject == f"[{ticket.number}] Uusi tiketti tiimille Support: Kassa ei toimi"
    assert sent.status == OutgoingEmail.Status.SENT
    delivered = {message["To"]: message for message in smtp_server.messages}
    assert delivered[agent.email]["Subject"] == sent.subject
    notices = StaffNotice.objects.filter(ticket=ticket, kind=StaffNotice.Kind.NEW_TICKET)
    assert sorted(notices.values_list("recipient__email", flat=True)) == sorted(
        [agent.email, colleague.email]
    )


def test_a_held_request_tells_nobody_until_it_is_accepted(
    ordinary_user, category, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_request(
            IntakeRequest(
                channel="portal",
                requester=ordinary_user,
                subject="Pyyntö",
                body_text="Teksti",
                category_slug="bug",
            )
        )
    assert not StaffNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_held_ticket(ticket=result.created_ticket, actor=agent)
    assert StaffNotice.objects.filter(kind=StaffNotice.Kind.NEW_TICKET).count() == 1


def test_the_assignee_hears_of_an_assignment_by_someone_else(
    file, agent, colleague, django_capture_on_commit_callbacks
):
    ticket = file()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_ticket(ticket=ticket, actor=colleague, assignee=agent, team=None)
    [sent] = staff_mail(ticket)
    assert (sent.to, sent.template) == (agent.email, "staff-assigned")
    assert sent.subject == f"[{ticket.number}] Annettu sinulle: Kassa ei toimi"
    # Taking a ticket oneself tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_ticket(ticket=ticket, actor=colleague, assignee=colleague, team=None)
    assert staff_mail(ticket).count() == 1
    assert StaffNotice.objects.filter(recipient=colleague).count() == 0


def test_a_customer_reply_reaches_a_desk_only_assignee_in_the_desk_alone(
    file, main_user, colleague, django_capture_on_commit_callbacks
):
    ticket = file()
    services.assign_ticket(ticket=ticket, actor=None, assignee=colleague, team=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(
            ticket=ticket, author=main_user, body_text="Lisätietoa", channel="portal"
        )
    assert not staff_mail(ticket).exists()
    assert StaffNotice.objects.filter(
        recipient=colleague, ticket=ticket, kind=StaffNotice.Kind.CUSTOMER_REPLY
    ).exists()


def test_a_customer_reply_mails_an_assignee_who_chose_e_mail(
    file, main_user, agent, django_capture_on_commit_callbacks
):
    ticket = file()
    services.assign_ticket(ticket=ticket, actor=None, assignee=agent, team=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(
            ticket=ticket, author=main_user, body_text="Lisätietoa", channel="portal"
        )
    [sent] = staff_mail(ticket)
    assert (sent.to, sent.template) == (agent.email, "customer-reply")
    assert StaffNotice.objects.filter(recipient=agent, kind="customer_reply").exists()


def test_the_desk_header_counts_unread_notices_and_the_list_marks_them_read(
    client, file, category, colleague
):
    ticket = file(category_slug="bug")
    client.force_login(colleague)
    page = client.get(reverse("desk:queue")).content.decode()
    assert 'class="badge"' in page and ">1</span>" in page
    listing = client.get(reverse("desk:notices")).content.decode()
    assert ticket.number in listing and "New ticket for your team" in listing
    assert not StaffNotice.objects.filter(recipient=colleague, read_at__isnull=True).exists()


def test_staff_choose_desk_only_on_their_profile(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("accounts:profile"), {"language": "fi", "notification_delivery": "desk"}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.notification_delivery == User.Delivery.DESK


def test_customers_have_no_notification_choice(client, main_user):
    client.force_login(main_user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "notification_delivery" not in page


def test_the_notice_list_costs_the_same_queries_however_many_notices(
    client, file, category, colleague
):
    client.force_login(colleague)
    counts = []
    for more in (1, 6):
        for _ in range(more):
            file(category_slug="bug")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("desk:notices")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert StaffNotice.objects.filter(recipient=colleague).count() == 7
