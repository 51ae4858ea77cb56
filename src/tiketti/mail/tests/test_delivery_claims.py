"""Claims on outgoing mail: a send interrupted by a killed worker is made again, with the
same Message-ID, once its claim expires; a live claim is never taken by another worker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from tests.concurrency import at_once
from tests.settings import DATABASE_TASKS

from tiketti.accounts.tests.factories import UserFactory
from tiketti.mail import services
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import TicketEvent

Status = OutgoingEmail.Status


@pytest.fixture
def queued_mail(main_user, settings):
    """An acknowledgement stored and not yet sent: its tasks wait for a worker."""
    settings.TASKS = DATABASE_TASKS
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Hei", body_text="Apua")
    ).ticket
    return services.send_email(
        template="acknowledgement",
        recipient=main_user,
        context={"message": ticket.messages.get()},
        ticket=ticket,
        is_automatic=True,
    )


def claimed(email, ago):
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - ago, attempt_count=1
    )


def test_an_interrupted_send_is_made_again_with_its_message_id_once_the_claim_expires(
    queued_mail, smtp_server, settings
):
    settings.TIKETTI_MAIL_CLAIM_SECONDS = 300
    claimed(queued_mail, ago=timedelta(minutes=6))  # its worker was killed mid-send

    assert services.retry_due_emails() == 1

    [received] = smtp_server.messages
    assert received["Message-ID"] == f"<{queued_mail.message_id}>"
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempt_count) == (Status.SENT, 2)
    [event] = TicketEvent.objects.filter(kind=TicketEvent.Kind.MAIL_RETRIED)
    assert (event.ticket_id, event.new_value) == (queued_mail.ticket_id, "maija@aurora.example")


def test_a_live_claim_is_not_taken_by_another_worker(queued_mail, smtp_server, settings):
    settings.TIKETTI_MAIL_CLAIM_SECONDS = 300
    claimed(queued_mail, ago=timedelta(minutes=4))  # still being sent

    assert services.retry_due_emails() == 0
    assert services.deliver(queued_mail.pk) is None
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.get().status == Status.SENDING
    assert not TicketEvent.objects.filter(kind=TicketEvent.Kind.MAIL_RETRIED).exists()


def test_a_mail_claimed_before_claims_were_stamped_expires_by_its_claim_time(
    queued_mail, smtp_server
):
    OutgoingEmail.objects.filter(pk=queued_mail.pk).update(
        status=Status.SENDING, claimed_at=None, next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    assert services.retry_due_emails() == 1
    assert len(smtp_server.messages) == 1


def test_a_mail_interrupted_on_every_attempt_fails_at_the_retry_limit(
    queued_mail, smtp_server, settings
):
    settings.TIKETTI_MAIL_RETRY_LIMIT = 3
    OutgoingEmail.objects.filter(pk=queued_mail.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempt_count=3
    )
    services.retry_due_emails()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert email.last_error == "Sending was interrupted on every attempt."
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_workers_delivering_the_same_mail_at_once_send_it_once(queued_mail, smtp_server):
    results = at_once(lambda index: services.deliver(queued_mail.pk), 4)
    assert len([result for result in results if result is not None]) == 1
    assert len(smtp_server.messages) == 1
    assert OutgoingEmail.objects.get().status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_workers_retrying_the_same_interrupted_mail_at_once_send_it_once(queued_mail, smtp_server):
    claimed(queued_mail, ago=timedelta(hours=1))
    results = at_once(lambda index: services.deliver(queued_mail.pk), 4)
    assert len([result for result in results if result is not None]) == 1
    assert len(smtp_server.messages) == 1
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.MAIL_RETRIED).count() == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "e-mail sent again after an interrupted attempt"),
        ("fi", "sähköposti lähetettiin uudelleen keskeytyneen yrityksen jälkeen"),
        ("pl", "e-mail wysłany ponownie po przerwanej próbie"),
    ],
)
def test_the_ticket_history_says_in_words_that_the_mail_was_sent_again(
    queued_mail, smtp_server, client, language, words
):
    claimed(queued_mail, ago=timedelta(hours=1))
    services.retry_due_emails()
    agent = UserFactory(agent=True, language=language)
    client.force_login(agent)
    with translation.override(language):
        page = client.get(reverse("desk:ticket-detail", args=[queued_mail.ticket.number]))
    assert page.status_code == 200
    assert words in page.content.decode()
