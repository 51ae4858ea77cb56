"""Export and erasure round trip over data that came in by mail, the portal and the API."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils.html import escape

from tiketti.api.models import ApiToken
from tiketti.audit.models import AuditEntry
from tiketti.contracts.models import TimeEntry
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.privacy.erasure import ErasureRefused, erase_person, erased_address
from tiketti.privacy.export import FORMAT, VERSION
from tiketti.privacy.scrubbing import erased_placeholder, name_placeholder
from tiketti.tickets.models import Attachment, Message, Ticket

from .conftest import SECRETS, Filed, api_call


def export_by_command(email: str) -> dict:
    out = StringIO()
    call_command("privacy", "export", "--email", email, stdout=out)
    return json.loads(out.getvalue())


def erase_by_command(email: str) -> str:
    out, err = StringIO(), StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("privacy", "erase", "--email", email, "--yes", stdout=out, stderr=err)
    return out.getvalue()


def assert_none_of_the_secrets_in(text: str, where: str) -> None:
    found = [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert not found, f"{where} still shows {found}"


def test_export_holds_everything_about_the_person_and_no_secret(filed: Filed):
    data = export_by_command("maija@aurora.example")
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert data["person"]["email"] == "maija@aurora.example"
    assert data["person"]["phone"] == "+358401234567"
    assert data["organisation"] == {
        "id": filed.maija.organisation_id,
        "name": "Aurora Oy",
        "role": "main_user",
    }
    assert {t["number"] for t in data["tickets"]} == {t.number for t in filed.tickets}
    assert {t["relation"] for t in data["tickets"]} == {"requester"}
    own = [m["text"] for m in data["messages"] if m["written_by_person"]]
    assert len(own) == 4 and any("Lisätietoa rajapinnasta" in text for text in own)
    replies = [m for m in data["messages"] if not m["written_by_person"]]
    assert [m["author"] for m in replies] == ["Sanna Agent"]
    assert {a["filename"] for a in data["attachments"]} == {"ruutu.png", "lasku.png"}
    assert [r["subject"] for r in data["received_email"]] == ["Kassa kaatuu aina"]
    assert data["api_tokens"][0]["name"] == "integraatio"
    token = ApiToken.objects.get(user=filed.maija)
    text = json.dumps(data)
    assert token.key_hash not in text and filed.maija.password not in text
    assert "password" not in data["person"]


def test_export_is_recorded_in_the_audit_log(filed: Filed):
    export_by_command("maija@aurora.example")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_EXPORTED)
    assert entry.target_id == str(filed.maija.pk)
    assert entry.details == {"via": "command"}
    # The next export lists the earlier one among the audit entries about her.
    assert export_by_command("maija@aurora.example")["audit"][-1]["action"] == (
        "personal_data_exported"
    )


def test_export_of_an_unknown_address_is_a_one_line_error(db):
    with pytest.raises(CommandError, match=r"nobody has the address nobody@x\.example"):
        call_command("privacy", "export", "--email", "nobody@x.example")


def test_after_erasure_nothing_shows_who_she_was_or_what_she_wrote(
    filed: Filed, admin, client: Client
):
    attachment_files = [a.file.name for a in Attachment.objects.all()]
    storage = Attachment._meta.get_field("file").storage
    assert all(storage.exists(name) for name in attachment_files)
    statistics = list(
        Ticket.objects.order_by("pk").values_list(
            "number", "status", "created_at", "first_response_due_at", "organisation"
        )
    )
    message_count = Message.objects.count()

    summary = erase_by_command("maija@aurora.example")
    assert "erased: 3 ticket(s) touched, 4 message(s), 2 attachment(s), 1 raw e-mail(s)" in summary

    # Desk: the queue, its search and every ticket page.
    client.force_login(filed.agent)
    queue = client.get(reverse("desk:queue")).content.decode()
    assert_none_of_the_secrets_in(queue, "the desk queue")
    assert all(t.number in queue for t in filed.tickets)  # the tickets themselves stay
    for word in ("Kassa", "Laskutusvirhe", "Rajapinnan", "Maija"):
        found = client.get(reverse("desk:queue"), {"q": word}).content.decode()
        assert not any(t.number in found for t in filed.tickets), word
    for ticket in filed.tickets:
        page = client.get(reverse("desk:ticket-detail", args=[ticket.number]))
        assert page.status_code == 200
        assert_none_of_the_secrets_in(page.content.decode(), f"desk {ticket.number}")
        assert escape(erased_placeholder("fi")) in page.content.decode()
    # Portal: her colleague, a main user of the same organisation, sees the tickets.
    client.force_login(filed.colleague)
    listing = client.get(reverse("portal:ticket-list")).content.decode()
    assert_none_of_the_secrets_in(listing, "the portal list")
    for ticket in filed.tickets:
        page = client.get(reverse("portal:ticket-detail", args=[ticket.number]))
        assert page.status_code == 200
        assert_none_of_the_secrets_in(page.content.decode(), f"portal {ticket.number}")
    client.logout()
    # API: a staff token lists and reads them.
    _, staff_token = ApiToken.issue(filed.agent)
    answer = api_call(client, "get", "/tickets", staff_token)
    assert answer.status_code == 200
    assert_none_of_the_secrets_in(answer.content.decode(), "the API list")
    for ticket in filed.tickets:
        answer = api_call(client, "get", f"/tickets/{ticket.number}", staff_token)
        assert answer.status_code == 200
        assert_none_of_the_secrets_in(answer.content.decode(), f"API {ticket.number}")

    # Her sign-ins and tokens are gone; the raw mail and the files too.
    maija = type(filed.maija).objects.get(pk=filed.maija.pk)
    assert maija.email == erased_address(maija) and not maija.is_active
    assert not maija.has_usable_password() and maija.phone == "" and maija.display_name == ""
    assert not ApiToken.objects.filter(user=maija).exists()
    raw = InboundMessage.objects.get()
    assert bytes(raw.raw) == b"" and raw.sender == "" and raw.subject == ""
    assert not OutgoingEmail.objects.filter(to="maija@aurora.example").exists()
    for email in OutgoingEmail.objects.all():
        assert_none_of_the_secrets_in(email.subject + email.body_text, "a stored e-mail")
    assert not Attachment.objects.exists()
    assert not any(storage.exists(name) for name in attachment_files)
    assert TimeEntry.objects.get().note == f"Soitin {name_placeholder('fi')}"

    # Statistics: the same tickets, statuses, times and messages.
    assert statistics == list(
        Ticket.objects.order_by("pk").values_list(
            "number", "status", "created_at", "first_response_due_at", "organisation"
        )
    )
    assert Message.objects.count() == message_count
    assert TimeEntry.objects.get().minutes == 30

    # The audit log says who erased whom and how much, not what was erased.
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_ERASED)
    assert entry.target_id == str(maija.pk)
    assert entry.details["messages"] == 4 and entry.details["tickets"] == 3
    assert_none_of_the_secrets_in(str(entry.target_label) + json.dumps(entry.details), "audit")


def test_erasing_again_is_refused(filed: Filed):
    erase_by_command("maija@aurora.example")
    maija = type(filed.maija).objects.get(pk=filed.maija.pk)
    with pytest.raises(ErasureRefused):
        erase_person(person=maija)


def test_erase_without_yes_and_without_a_terminal_changes_nothing(filed: Filed):
    with pytest.raises(CommandError, match="confirm with --yes"):
        call_command("privacy", "erase", "--email", "maija@aurora.example")
    assert type(filed.maija).objects.filter(email="maija@aurora.example").exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PERSONAL_DATA_ERASED).exists()


def test_erasing_many_tickets_shows_progress(main_user, agent):
    from tiketti.tickets.intake import IntakeRequest, submit_request

    for number in range(25):
        submit_request(
            IntakeRequest(
                channel="portal", requester=main_user, subject=f"Pyyntö {number}", body_text="x"
            )
        )
    err = StringIO()
    call_command(
        "privacy", "erase", "--email", main_user.email, "--yes", stdout=StringIO(), stderr=err
    )
    assert "25/25 tickets" in err.getvalue() and "10/25 tickets" in err.getvalue()


def test_the_export_reads_a_fixed_number_of_queries_however_many_tickets(main_user, agent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiketti.privacy.export import build_export
    from tiketti.tickets import services
    from tiketti.tickets.intake import IntakeRequest, submit_request

    def file(count: int) -> int:
        for number in range(count):
            ticket = submit_request(
                IntakeRequest(
                    channel="portal", requester=main_user, subject=f"S{number}", body_text="x"
                )
            ).created_ticket
            services.post_message(
                ticket=ticket, author=agent, body_text="Vastaus", channel="portal"
            )
        with CaptureQueriesContext(connection) as queries:
            data = build_export(main_user)
        assert len(data["tickets"]) == len(set(t["number"] for t in data["tickets"]))
        return len(queries)

    assert file(1) == file(5)
