import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment, Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def file_ticket(requester, subject="Help"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    ).ticket


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("portal:ticket-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_customer_files_a_request_with_an_attachment(client, main_user, category):
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "subject": "Kassa ei toimi",
            "category": category.pk,
            "description": "Virhe 500 maksaessa",
            "attachments": [SimpleUploadedFile("kuva.png", PNG, "image/png")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ticket-detail", args=[ticket.number])
    assert ticket.channel == Ticket.Channel.PORTAL
    assert ticket.attachments.get().filename == "kuva.png"


def test_oversized_upload_is_refused_with_a_message_and_nothing_saved(
    client, main_user, category, settings
):
    client.force_login(main_user)
    too_big = SimpleUploadedFile("iso.bin", b"0" * (settings.TIKETTI_MAX_ATTACHMENT_BYTES + 1))
    response = client.post(
        reverse("portal:ticket-new"),
        {"subject": "s", "category": category.pk, "description": "d", "attachments": [too_big]},
    )
    assert response.status_code == 200
    assert "iso.bin" in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_request_form_needs_a_known_category(client, main_user):
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-new"), {"subject": "s", "category": "999", "description": "d"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert not Ticket.objects.exists()


def test_customer_sees_reply_but_not_internal_note(client, main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=agent, body_text="Public answer", channel="portal")
    services.post_message(
        ticket=ticket, author=agent, body_text="Secret note", channel="portal", is_internal=True
    )
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert "Public answer" in page
    assert "Secret note" not in page


def test_customer_reply_reopens_the_ticket(client, main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(ticket=ticket, author=agent, body_text="Try now", channel="portal")
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-detail", args=[ticket.number]), {"body": "Still broken"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_other_organisations_ticket_is_404(client, main_user, stranger):
    ticket = file_ticket(main_user)
    client.force_login(stranger)
    assert client.get(reverse("portal:ticket-detail", args=[ticket.number])).status_code == 404
    response = client.post(reverse("portal:ticket-detail", args=[ticket.number]), {"body": "x"})
    assert response.status_code == 404
    assert ticket.messages.count() == 1


def test_main_user_lists_the_organisation_ordinary_user_only_own(client, main_user, ordinary_user):
    mine = file_ticket(main_user, "Maija's matter")
    theirs = file_ticket(ordinary_user, "Jussi's matter")
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-list")).content.decode()
    assert mine.subject in page.replace("&#x27;", "'") and theirs.number in page
    client.force_login(ordinary_user)
    page = client.get(reverse("portal:ticket-list")).content.decode()
    assert theirs.number in page and mine.number not in page


def test_ticket_list_query_count_does_not_grow_with_tickets(
    client, main_user, django_assert_max_num_queries
):
    for index in range(30):
        file_ticket(main_user, f"matter {index}")
    client.force_login(main_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:ticket-list"))
    assert len(response.context["page"].object_list) == 25


def test_attachment_download_is_served_only_to_allowed_people(client, main_user, stranger):
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=main_user,
            subject="s",
            body_text="b",
            files=[IncomingFile("page.html", b"<script>alert(1)</script>")],
        )
    ).ticket
    attachment = ticket.attachments.get()
    url = reverse("tickets:attachment", args=[attachment.key, attachment.filename])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(main_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] != "text/html"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    response.close()


@pytest.mark.parametrize("language", ["fi", "pl", "en"])
def test_pages_follow_the_contacts_language(client, main_user, language):
    main_user.language = language
    main_user.save()
    client.force_login(main_user)
    response = client.get(reverse("portal:ticket-new"))
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()


def test_anonymous_visitor_gets_the_browsers_language(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "pl,en;q=0.5"})
    assert response["Content-Language"] == "pl"


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(
        reverse("accounts:set-language"), {"language": "fi", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_forms_are_csrf_protected(main_user, category):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-new"), {"subject": "s", "category": category.pk, "description": "d"}
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_customer_sees_the_promised_answer_time(client, main_user):
    from tiketti.sla.calendar import BUILTIN_CALENDARS
    from tiketti.sla.models import BusinessCalendar, SlaPolicy

    calendar = BusinessCalendar.objects.create(
        name="h", definition=BUILTIN_CALENDARS["helsinki-9-16"].to_json()
    )
    SlaPolicy.objects.create(
        name="2bd", first_response_target="2bd", first_response_calendar=calendar
    )
    ticket = file_ticket(main_user)
    client.force_login(main_user)
    response = client.get(reverse("portal:ticket-detail", args=[ticket.number]))
    assert response.context["ticket"].promised_answer_at == ticket.first_response_due_at
    assert (
        "We will answer by" in response.content.decode()
        or "Vastaamme viimeistään" in response.content.decode()
    )


def test_customer_reads_the_history_in_words_without_the_desks_work(client, main_user, agent):
    ticket = file_ticket(main_user)
    services.post_message(
        ticket=ticket, author=agent, body_text="salainen", channel="portal", is_internal=True
    )
    services.change_status(ticket=ticket, actor=agent, status=Ticket.Status.SOLVED)
    client.force_login(main_user)  # Maija reads Finnish
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert f"avasi tiketin {ticket.number}" in page
    assert "muutti tilaksi “ratkaistu” (oli “uusi”)" in page
    assert "sisäisen muistiinpanon" not in page and "→ solved" not in page


def test_ticket_page_queries_do_not_grow_with_the_history(client, main_user, agent):
    client.force_login(main_user)
    client.get(reverse("portal:ticket-list"))  # what pages keep for a while (the incident banner)
    counts = []
    for rounds in (1, 6):
        ticket = file_ticket(main_user)
        for index in range(rounds):
            services.post_message(
                ticket=ticket, author=agent, body_text=f"{index}", channel="portal"
            )
            services.post_message(ticket=ticket, author=main_user, body_text="?", channel="email")
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("portal:ticket-detail", args=[ticket.number]))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
