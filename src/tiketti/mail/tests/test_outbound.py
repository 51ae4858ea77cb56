import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from tests.settings import DATABASE_TASKS

from tiketti.mail import services
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets import services as ticket_services
from tiketti.tickets.intake import IntakeRequest, submit_request


@pytest.fixture
def file_ticket(main_user, django_capture_on_commit_callbacks):
    def file(requester=None, subject="Kassa ei toimi", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return submit_request(
                IntakeRequest(
                    channel="portal",
                    requester=requester or main_user,
                    subject=subject,
                    body_text="Maksu-nappi antaa virheen 500.",
                    **fields,
                )
            ).ticket

    return file


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def post(ticket, author, text, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return ticket_services.post_message(
                ticket=ticket, author=author, body_text=text, channel="portal", **kwargs
            )

    return post


def test_acknowledgement_goes_out_in_the_requesters_language(file_ticket, main_user):
    ticket = file_ticket()
    [sent] = mail.outbox
    assert sent.to == [main_user.email]
    assert sent.subject == f"[{ticket.number}] Olemme vastaanottaneet pyyntösi: Kassa ei toimi"
    assert "Maksu-nappi antaa virheen 500." in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.extra_headers["Message-ID"].endswith("@tiketti.localhost>")
    assert "In-Reply-To" not in sent.extra_headers
    [alternative] = sent.alternatives
    assert alternative.mimetype == "text/html"


def test_polish_contact_gets_polish_mail(file_ticket, stranger):
    ticket = file_ticket(requester=stranger, subject="Faktura")
    [sent] = mail.outbox
    assert sent.subject == f"[{ticket.number}] Otrzymaliśmy Twoje zgłoszenie: Faktura"


def test_agent_reply_reaches_requester_and_cc_threaded(file_ticket, post, agent, ordinary_user):
    ticket = file_ticket(cc_emails=[ordinary_user.email])
    acknowledgement = OutgoingEmail.objects.get()
    mail.outbox.clear()
    post(ticket, agent, "Korjattu, kokeile uudelleen.")
    assert sorted(m.to[0] for m in mail.outbox) == ["jussi@aurora.example", "maija@aurora.example"]
    for sent in mail.outbox:
        assert sent.subject.startswith(f"[{ticket.number}] ")
        assert "Korjattu, kokeile uudelleen." in sent.body
        assert sent.extra_headers["In-Reply-To"] == f"<{acknowledgement.message_id}>"
        assert f"<{acknowledgement.message_id}>" in sent.extra_headers["References"]
        assert "Auto-Submitted" not in sent.extra_headers


def test_customer_reply_reaches_the_assignee_only(file_ticket, post, agent, main_user):
    ticket = file_ticket()
    ticket_services.assign_ticket(ticket=ticket, actor=agent, assignee=agent, team=None)
    mail.outbox.clear()
    post(ticket, main_user, "Lisätietoa: selain on Firefox.")
    [sent] = mail.outbox
    assert sent.to == [agent.email]
    assert "Firefox" in sent.body


def test_internal_notes_are_never_mailed(file_ticket, post, agent):
    ticket = file_ticket()
    mail.outbox.clear()
    post(ticket, agent, "Asiakkaan palvelin on rikki", is_internal=True)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(body_text__contains="palvelin").exists()


def test_mail_goes_over_real_smtp(file_ticket, smtp_server, main_user):
    ticket = file_ticket()
    [received] = smtp_server.messages
    assert received["To"] == main_user.email
    assert received["Subject"].startswith(f"[{ticket.number}]")
    assert received["Auto-Submitted"] == "auto-replied"
    assert received.get_body(("plain",)).get_content().startswith("##-")
    assert received.get_body(("html",)) is not None
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_failed_delivery_is_recorded_and_retried(file_ticket, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    file_ticket()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempt_count == 1
    assert "Connection" in email.last_error or "refused" in email.last_error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    OutgoingEmail.objects.update(next_attempt_at=email.created_at)
    assert services.retry_due_emails() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempt_count == 2
    assert len(mail.outbox) == 1


def test_delivery_gives_up_after_the_retry_limit(file_ticket, settings):
    settings.TIKETTI_MAIL_RETRY_LIMIT = 1
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    file_ticket()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.FAILED


def test_delivery_is_claimed_once(file_ticket):
    file_ticket()
    email = OutgoingEmail.objects.get()
    assert services.deliver(email.pk) is None  # already sent: a second run does nothing
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_worker_delivers_queued_notifications(main_user):
    submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Hei", body_text="Apua")
    )
    assert mail.outbox == []  # only queued so far
    call_command("worker", "--batch", "--interval", "0")
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
