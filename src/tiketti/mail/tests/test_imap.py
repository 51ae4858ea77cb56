"""`tiketti mail fetch`: a real Dovecot on loopback, a real OAuth 2.0 token endpoint."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.db.transaction import TransactionManagementError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from tests.settings import DATABASE_TASKS

from tiketti.mail import imap, oauth, storing
from tiketti.mail.models import InboundMessage, Mailbox
from tiketti.operations.periodic import SCHEDULES
from tiketti.operations.tasks import run_periodic_job
from tiketti.tickets.models import Ticket

from .servers import (
    CLIENT_ID,
    CLIENT_SECRET,
    OAUTH_USER,
    OAUTH_USER_PASSWORD,
    PASSWORD,
    PASSWORD_USER,
    dovecot_binary,
    free_port,
    start_dovecot,
    start_oauth_provider,
)

Status = InboundMessage.Status
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider():
    provider, server = start_oauth_provider()
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def dovecot(provider):
    binary = dovecot_binary()
    if binary is None:
        message = (
            "Dovecot is not installed (Debian: apt-get install dovecot-imapd); "
            "the IMAP tests need a real IMAP server."
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must never skip the IMAP tests silently
        pytest.skip(message)
    server = start_dovecot(binary, provider)
    yield server
    server.stop()


def mailbox_on(dovecot, **fields):
    defaults = {
        "name": "support",
        "address": PASSWORD_USER,
        "imap_host": "127.0.0.1",
        "imap_port": dovecot.port,
        "imap_tls": False,
        "imap_username": PASSWORD_USER,
        "imap_password": PASSWORD,
    }
    return Mailbox.objects.create(**{**defaults, **fields})


def make(subject="Kassa ei toimi", sender="Maija Virtanen <maija@aurora.example>", **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = PASSWORD_USER
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(f"{subject}: maksu-nappi antaa virheen 500.")
    return message.as_bytes().replace(b"\n", b"\r\n")


# --- fetching ------------------------------------------------------------------------


@transactional
def test_fetch_turns_messages_into_tickets_and_marks_them(dovecot, main_user):
    dovecot.deliver(make("Kassa ei toimi"), make("Lasku puuttuu"))
    mailbox = mailbox_on(dovecot)

    result = imap.fetch_mailbox(mailbox)

    assert (result.stored_count, result.known_count, result.failures, result.error) == (
        2,
        0,
        [],
        "",
    )
    tickets = Ticket.objects.order_by("pk")
    assert [t.subject for t in tickets] == ["Kassa ei toimi", "Lasku puuttuu"]
    assert {t.requester for t in tickets} == {main_user}
    assert set(InboundMessage.objects.values_list("via", flat=True)) == {"imap"}
    assert dovecot.uids_with(imap.STORED_KEYWORD) == [1, 2]
    assert dovecot.uids_with("\\Seen") == []  # fetching did not mark them read for people
    mailbox.refresh_from_db()
    assert mailbox.last_fetch_succeeded_at is not None and mailbox.last_fetch_error == ""


@transactional
def test_second_fetch_stores_nothing_new(dovecot, main_user):
    dovecot.deliver(make())
    mailbox = mailbox_on(dovecot)
    imap.fetch_mailbox(mailbox)

    again = imap.fetch_mailbox(mailbox)

    assert (again.stored_count, again.known_count) == (0, 0)
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1


@transactional
def test_message_read_by_a_person_is_still_fetched(dovecot, main_user):
    dovecot.deliver(make())
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.add_flags([1], ["\\Seen"])

    assert imap.fetch_mailbox(mailbox_on(dovecot)).stored_count == 1


@transactional
def test_message_is_marked_only_after_it_was_stored(dovecot, main_user, monkeypatch):
    dovecot.deliver(make("Ensimmäinen"), make("Tietokanta kaatuu"), make("Kolmas"))
    mailbox = mailbox_on(dovecot)
    real_store_new = storing._store_new
    seen_marked_at_store = []

    def store_new(arrivals, *args):
        seen_marked_at_store.append(dovecot.uids_with(imap.STORED_KEYWORD))
        if any(b"Tietokanta kaatuu" in arrival.delivery.raw for arrival in arrivals):
            raise DatabaseError("disk I/O error")
        return real_store_new(arrivals, *args)

    monkeypatch.setattr(storing, "_store_new", store_new)
    result = imap.fetch_mailbox(mailbox)

    # The batch of three failed as a whole, then each was stored on its own; nothing was
    # marked on the server before its copy was stored.
    assert seen_marked_at_store == [[], [], [], []]
    assert result.stored_count == 2 and result.failures == ["UID 2: DatabaseError: disk I/O error"]
    assert dovecot.uids_with(imap.STORED_KEYWORD) == [1, 3]
    mailbox.refresh_from_db()
    assert "UID 2" in mailbox.last_fetch_error and mailbox.last_fetch_succeeded_at is not None

    monkeypatch.setattr(storing, "_store_new", real_store_new)  # the database is back
    retried = imap.fetch_mailbox(mailbox)

    assert retried.stored_count == 1 and retried.failures == []
    assert dovecot.uids_with(imap.STORED_KEYWORD) == [1, 2, 3]
    mailbox.refresh_from_db()
    assert mailbox.last_fetch_error == ""
    assert Ticket.objects.count() == 3


@transactional
def test_unparseable_message_does_not_stop_the_rest(dovecot, main_user):
    garbage = b"\xff\xfe\x00 this is not an e-mail\r\n=?utf-8?b?broken\r\n\r\n\x80\x81\r\n"
    dovecot.deliver(make("Ennen"), garbage, make("Jälkeen"))

    result = imap.fetch_mailbox(mailbox_on(dovecot))

    assert result.stored_count == 3 and result.failures == []
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Ennen", "Jälkeen"]
    broken = InboundMessage.objects.get(ticket__isnull=True)
    assert broken.status in (Status.HELD, Status.FAILED)  # visible on the desk, retryable
    assert dovecot.uids_with(imap.STORED_KEYWORD) == [1, 2, 3]


@transactional
def test_broken_mailboxes_do_not_stop_the_others(dovecot, main_user, monkeypatch, caplog):
    monkeypatch.setattr(imap, "CONNECT_TIMEOUT_SECONDS", 2.0)
    monkeypatch.setattr(imap, "READ_TIMEOUT_SECONDS", 2.0)
    dovecot.deliver(make())
    hung = socket.create_server(("127.0.0.1", 0))  # accepts, never says a word
    silent = hung.getsockname()[1]
    mailbox_on(dovecot, name="a-wrong-password", address="a@tiketti.example", imap_password="x")
    mailbox_on(dovecot, name="b-nobody-home", address="b@tiketti.example", imap_port=free_port())
    mailbox_on(dovecot, name="c-hung", address="c@tiketti.example", imap_port=silent)
    mailbox_on(dovecot, name="d-working")

    try:
        with caplog.at_level(logging.CRITICAL, logger="tiketti.mail.imap"):
            results = {result.mailbox: result for result in imap.fetch_all()}
    finally:
        hung.close()

    assert results["d-working"].stored_count == 1 and Ticket.objects.count() == 1
    errors = dict(Mailbox.objects.values_list("name", "last_fetch_error"))
    assert "AUTHENTICATIONFAILED" in errors["a-wrong-password"]
    assert "Connection refused" in errors["b-nobody-home"]
    assert "did not answer in time" in errors["c-hung"]
    assert errors["d-working"] == ""
    assert all(results[name].error for name in ("a-wrong-password", "b-nobody-home", "c-hung"))


@transactional
def test_fetch_is_refused_inside_a_transaction():
    mailbox = Mailbox.objects.create(name="x", address="x@tiketti.example", imap_host="127.0.0.1")
    # Inside an outer transaction "stored" would not yet mean committed: refuse to mark.
    with pytest.raises(TransactionManagementError), transaction.atomic():
        imap.fetch_mailbox(mailbox)


# --- TLS -----------------------------------------------------------------------------


@pytest.fixture
def trust_dovecot(dovecot, monkeypatch):
    if dovecot.certificate is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    # OpenSSL reads SSL_CERT_FILE when ssl.create_default_context() loads the trust store.
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))
    return dovecot


@transactional
def test_fetch_over_tls_verifies_the_certificate(trust_dovecot, main_user):
    trust_dovecot.deliver(make())
    mailbox = mailbox_on(trust_dovecot, imap_port=trust_dovecot.tls_port, imap_tls=True)

    assert imap.fetch_mailbox(mailbox).stored_count == 1


@transactional
def test_fetch_upgrades_with_starttls(trust_dovecot, main_user, monkeypatch):
    monkeypatch.setattr(imap, "STARTTLS_PORTS", frozenset({trust_dovecot.port}))
    trust_dovecot.deliver(make())
    mailbox = mailbox_on(trust_dovecot, imap_tls=True)

    assert imap.fetch_mailbox(mailbox).stored_count == 1


@transactional
def test_untrusted_certificate_is_refused(dovecot, main_user):
    if dovecot.certificate is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    mailbox = mailbox_on(dovecot, imap_port=dovecot.tls_port, imap_tls=True)

    result = imap.fetch_mailbox(mailbox)

    assert "CERTIFICATE_VERIFY_FAILED" in result.error


@pytest.mark.parametrize(
    ("port", "use_tls", "mode"),
    [
        (993, True, "implicit"),
        (143, True, "starttls"),
        (1993, True, "implicit"),
        (143, False, "none"),
    ],
)
def test_tls_mode_follows_the_port(port, use_tls, mode):
    assert imap.tls_mode(port=port, use_tls=use_tls) == mode


# --- OAuth 2.0 (XOAUTH2) -------------------------------------------------------------


def oauth_mailbox(dovecot, provider, **fields):
    return mailbox_on(
        dovecot,
        name="microsoft",
        address=OAUTH_USER,
        imap_username=OAUTH_USER,
        imap_password="",
        auth_method=Mailbox.AuthMethod.OAUTH2,
        oauth_token_url=provider.token_url,
        oauth_client_id=CLIENT_ID,
        oauth_client_secret=CLIENT_SECRET,
        oauth_refresh_token=provider.refresh_token,
        **fields,
    )


@transactional
def test_xoauth2_login_with_a_refreshed_token(dovecot, provider, main_user):
    dovecot.deliver(make(), user=OAUTH_USER, password=OAUTH_USER_PASSWORD)
    mailbox = oauth_mailbox(dovecot, provider)

    result = imap.fetch_mailbox(mailbox)

    assert result.error == "" and result.stored_count == 1
    assert provider.refresh_requests == [
        {
            "grant_type": "refresh_token",
            "refresh_token": "refresh-1",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
    ]
    mailbox.refresh_from_db()
    assert mailbox.oauth_access_token in provider.issued
    assert mailbox.oauth_refresh_token == "refresh-2"  # the rotated one is kept
    expected_expiry = timezone.now() + timedelta(seconds=3599)
    assert abs(mailbox.oauth_expires_at - expected_expiry) < timedelta(seconds=30)


@transactional
def test_valid_cached_token_is_used_without_refreshing(dovecot, provider, main_user):
    mailbox = oauth_mailbox(dovecot, provider)
    token = oauth.refresh_access_token(mailbox)
    provider.refresh_requests.clear()

    assert imap.fetch_mailbox(Mailbox.objects.get(pk=mailbox.pk)).error == ""
    assert provider.refresh_requests == []
    assert Mailbox.objects.get(pk=mailbox.pk).oauth_access_token == token


@transactional
def test_revoked_token_is_refreshed_once_and_retried(dovecot, provider, main_user):
    dovecot.deliver(make(), user=OAUTH_USER, password=OAUTH_USER_PASSWORD)
    mailbox = oauth_mailbox(
        dovecot,
        provider,
        oauth_access_token="revoked-before-expiry",
        oauth_expires_at=timezone.now() + timedelta(hours=1),
    )

    result = imap.fetch_mailbox(mailbox)

    assert result.error == "" and result.stored_count == 1
    assert len(provider.refresh_requests) == 1


@transactional
def test_refused_refresh_is_recorded_on_the_mailbox(dovecot, provider, main_user):
    provider.refusal = "invalid_grant"
    mailbox = oauth_mailbox(dovecot, provider)

    result = imap.fetch_mailbox(mailbox)

    assert "invalid_grant" in result.error and "sign in again" in result.error
    mailbox.refresh_from_db()
    assert mailbox.last_fetch_error == result.error
    assert mailbox.last_fetch_succeeded_at is None


@pytest.mark.parametrize(
    "url", ["http://login.example/token", "ftp://127.0.0.1/token", "file:///etc/passwd"]
)
def test_token_url_must_be_https(url):
    with pytest.raises(oauth.OAuthError, match="https"):
        oauth.check_token_url(url)


@pytest.mark.django_db
def test_microsoft_refresh_asks_for_the_imap_scope():
    mailbox = Mailbox(
        oauth_token_url="https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
        oauth_refresh_token="r",
        oauth_client_id="c",
    )
    grant = oauth._refresh_grant(mailbox)
    assert grant["scope"] == oauth.MICROSOFT_IMAP_SCOPE and "client_secret" not in grant


# --- the pure parts ------------------------------------------------------------------


def test_keyword_marker_needs_a_server_that_keeps_keywords():
    dovecot = {b"PERMANENTFLAGS": (b"\\Seen", b"\\Deleted", b"\\*")}
    exchange = {b"PERMANENTFLAGS": (b"\\Seen", b"\\Answered", b"\\Flagged", b"\\Deleted")}
    assert imap.choose_marker(dovecot).flag == imap.STORED_KEYWORD
    assert imap.choose_marker(exchange) == imap.Marker("\\Seen", ("UNSEEN", "NOT", "DELETED"))


def test_batches_stay_within_the_count_and_size_limits(monkeypatch):
    monkeypatch.setattr(imap, "BATCH_MAX_MESSAGES", 3)
    monkeypatch.setattr(imap, "BATCH_MAX_BYTES", 100)
    sizes = {1: 10, 2: 10, 3: 10, 4: 10, 5: 95, 6: 500, 7: 1}
    assert list(imap.batches([1, 2, 3, 4, 5, 6, 7], sizes)) == [[1, 2, 3], [4], [5], [6], [7]]


# --- stalls, the periodic job, the command -------------------------------------------


@pytest.fixture
def desk(client, agent):
    """The desk as an agent who reads it in English (requests use the user's language)."""
    agent.language = "en"
    agent.save(update_fields=["language"])
    client.force_login(agent)
    return client


@pytest.mark.django_db
def test_stalled_mailbox_is_reported_and_shown_on_the_desk(desk, caplog):
    now = timezone.now()
    Mailbox.objects.create(
        name="laskutus",
        address="laskutus@tiketti.example",
        imap_host="imap.example",
        last_fetch_succeeded_at=now - timedelta(hours=2),
        last_fetch_error="LoginError: [AUTHENTICATIONFAILED] Authentication failed.",
    )
    Mailbox.objects.create(
        name="healthy",
        address="tuki@tiketti.example",
        imap_host="imap.example",
        last_fetch_succeeded_at=now - timedelta(minutes=1),
    )
    Mailbox.objects.create(name="pipe-only", address="pipe@tiketti.example")

    with caplog.at_level(logging.ERROR, logger="tiketti.mail.imap"):
        stalled = imap.report_stalled()

    assert [problem.mailbox.name for problem in stalled] == ["laskutus"]
    assert "laskutus" in caplog.text and "AUTHENTICATIONFAILED" in caplog.text
    page = desk.get(reverse("desk:mail-queue")).text
    assert "Mailboxes that need attention" in page
    assert "laskutus@tiketti.example" in page and "AUTHENTICATIONFAILED" in page
    assert "no mail fetched for 2" in page
    assert "tuki@tiketti.example" not in page and "pipe@tiketti.example" not in page


@pytest.mark.django_db
def test_failing_mailbox_shows_its_error_before_it_counts_as_stalled(desk):
    Mailbox.objects.create(
        name="tuki",
        address="tuki@tiketti.example",
        imap_host="imap.example",
        last_fetch_succeeded_at=timezone.now() - timedelta(minutes=3),
        last_fetch_error="1 message(s) could not be stored; UID 7: DatabaseError: full",
    )
    [problem] = imap.mailbox_problems()
    assert not problem.is_stalled
    page = desk.get(reverse("desk:mail-queue")).text
    assert "the last fetch reported a problem" in page and "UID 7" in page


@pytest.mark.django_db
def test_healthy_desk_page_has_no_mailbox_warning(desk):
    assert 'id="mailbox-problems"' not in desk.get(reverse("desk:mail-queue")).text


def test_fetching_is_a_periodic_job():
    [schedule] = [s for s in SCHEDULES if s.function == "tiketti.mail.imap.fetch_all"]
    assert schedule.every == timedelta(minutes=1)


@transactional
@override_settings(TASKS=DATABASE_TASKS)
def test_worker_fetches_and_then_processes_in_the_background(dovecot, main_user):
    dovecot.deliver(make())
    mailbox_on(dovecot)
    [schedule] = [s for s in SCHEDULES if s.function == "tiketti.mail.imap.fetch_all"]
    run_periodic_job.enqueue(schedule.name)  # what the worker's scheduler does when due

    call_command("worker", "--batch", "--interval", "0")

    assert InboundMessage.objects.get().status == Status.PROCESSED
    assert Ticket.objects.count() == 1 and dovecot.uids_with(imap.STORED_KEYWORD) == [1]


@transactional
def test_fetch_command_prints_one_line_per_mailbox(dovecot, main_user, capsys):
    dovecot.deliver(make(), make("Toinen"))
    mailbox_on(dovecot)
    mailbox_on(dovecot, name="other", address="other@tiketti.example")

    call_command("mail", "fetch", "--mailbox", "support")

    assert capsys.readouterr().out == "support: 2 stored, 0 already stored, 0 failed\n"


@transactional
def test_fetch_command_fails_when_a_mailbox_fails(dovecot, capsys):
    mailbox_on(dovecot, imap_password="wrong")
    with pytest.raises(CommandError, match="could not be fetched"):
        call_command("mail", "fetch")
    assert "support: failed: LoginError" in capsys.readouterr().out


@pytest.mark.django_db
def test_fetch_command_names_an_unknown_mailbox():
    with pytest.raises(CommandError, match="no active IMAP mailbox named nothing"):
        call_command("mail", "fetch", "--mailbox", "nothing")


@pytest.mark.django_db(transaction=True)
def test_overlapping_pollers_take_turns_on_postgresql(dovecot, main_user):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite runs one poller")
    mailbox = mailbox_on(dovecot)
    holder = threading.Event()
    release = threading.Event()

    def hold_the_lock():
        with imap._exclusive(mailbox):
            holder.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    holder.wait(10)
    try:
        assert imap.fetch_mailbox(mailbox).is_busy
    finally:
        release.set()
        thread.join()
    assert not imap.fetch_mailbox(mailbox).is_busy
