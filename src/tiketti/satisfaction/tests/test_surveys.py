from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tiketti.accounts.tests.factories import UserFactory
from tiketti.mail.models import OutgoingEmail
from tiketti.satisfaction import services
from tiketti.satisfaction.models import Survey
from tiketti.tickets import services as ticket_services
from tiketti.tickets.intake import IntakeRequest, submit_request


@pytest.fixture
def lead(db, team):
    user = UserFactory(email="lead@tiketti.example", staff_role="team_lead", language="en")
    user.teams.add(team)
    return user


@pytest.fixture
def solved(main_user, agent, team, django_capture_on_commit_callbacks):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="Apua")
    ).ticket
    ticket.team = team
    ticket.save(update_fields=["team"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.post_message(
            ticket=ticket,
            author=agent,
            body_text="Korjattu.",
            channel="portal",
            new_status="solved",
        )
    return ticket


def links(ticket):
    email = OutgoingEmail.objects.get(template="satisfaction-survey", ticket=ticket)
    good = next(
        line
        for line in email.body_text.splitlines()
        if "/rate/" in line and line.startswith("Hyvä")
    )
    bad = next(
        line
        for line in email.body_text.splitlines()
        if "/rate/" in line and line.startswith("Huono")
    )
    return email, good.split("http://testserver", 1)[1], bad.split("http://testserver", 1)[1]


def test_solving_a_ticket_mails_the_requester_one_click_links_in_their_language(solved):
    email, good, bad = links(solved)
    assert email.to == solved.requester.email and email.language == "fi"
    assert "Miten onnistuimme?" in email.subject
    assert good != bad and Survey.objects.filter(ticket=solved).count() == 1


def test_a_rating_link_works_once_without_login(client, solved):
    _email, good, bad = links(solved)
    response = client.get(good)
    assert response.status_code == 200
    survey = Survey.objects.get(ticket=solved)
    assert survey.rating == "good" and survey.rated_at is not None
    client.get(bad)
    survey.refresh_from_db()
    assert survey.rating == "good"


def test_the_optional_comment_is_kept_once_and_shown_on_the_ticket(client, solved, agent):
    _email, good, _bad = links(solved)
    client.get(good)
    assert client.post(good, {"comment": "Nopeaa palvelua"}).status_code == 200
    assert client.post(good, {"comment": "Toinen"}).status_code == 410
    assert Survey.objects.get(ticket=solved).comment == "Nopeaa palvelua"
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[solved.number])).content.decode()
    assert 'data-testid="ticket-rating"' in page and "Nopeaa palvelua" in page


def test_a_bad_rating_tells_the_team_lead(client, solved, lead, django_capture_on_commit_callbacks):
    _email, _good, bad = links(solved)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(bad)
    notice = OutgoingEmail.objects.get(template="bad-rating")
    assert notice.to == lead.email and solved.number in notice.subject
    assert [lead.email] in [message.to for message in mail.outbox]


def test_forged_and_expired_links_are_refused(client, solved):
    _email, good, _bad = links(solved)
    assert client.get(good[:-3] + "xx/").status_code == 410
    Survey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(good).status_code == 410
    assert Survey.objects.get().rated_at is None


def test_links_of_a_replaced_survey_are_refused(solved):
    _email, old_good, _bad = links(solved)
    Survey.objects.update(nonce="replaced")
    with pytest.raises(services.SurveyClosed):
        services.record_rating(token=old_good.split("/")[2])
