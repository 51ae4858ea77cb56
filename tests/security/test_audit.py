"""The audit log: an entry for each listed action, append-only, kept when a user is
deleted, read-only and searchable in the admin, and told in words in the reader's language."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import translation

from tiketti.accounts.tests.factories import UserFactory
from tiketti.api.models import ApiToken
from tiketti.audit.describe import describe
from tiketti.audit.models import AppendOnly, AuditEntry
from tiketti.tickets.intake import IntakeRequest, submit_request

Action = AuditEntry.Action


@pytest.fixture
def admin_user(db):
    return UserFactory(agent=True, admin=True, email="root@tiketti.example", language="en")


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_sign_ins_and_failures_are_recorded_with_the_address(client, main_user):
    client.post(
        "/accounts/login/",
        {"username": main_user.email, "password": "wrong"},
        REMOTE_ADDR="203.0.113.5",
    )
    client.post(
        "/accounts/login/",
        {"username": main_user.email, "password": "secret-pass"},
        REMOTE_ADDR="203.0.113.5",
    )
    [failed] = entries(Action.LOGIN_FAILED)
    assert (failed.actor_label, failed.ip_address, failed.actor) == (
        main_user.email,
        "203.0.113.5",
        None,
    )
    [login] = entries(Action.LOGIN)
    assert (login.actor, login.ip_address) == (main_user, "203.0.113.5")
    assert describe(login) == f"{main_user.email} signed in."


def test_a_lock_out_is_recorded_once(client, main_user, settings):
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 3
    for _ in range(6):
        client.post("/accounts/login/", {"username": main_user.email, "password": "x"})
    [locked] = entries(Action.LOCKED_OUT)
    assert locked.actor_label == main_user.email


def test_role_changes_through_the_admin_name_who_changed_what(client, admin_user, agent):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_change", args=[agent.pk]),
        {
            "email": agent.email,
            "display_name": agent.display_name,
            "language": "fi",
            "phone": "",
            "organisation": "",
            "customer_role": agent.customer_role,
            "staff_role": "admin",
            "notification_delivery": "email",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    [change] = [entry for entry in entries(Action.ROLE_CHANGED) if entry.actor == admin_user]
    assert change.target_id == str(agent.pk)
    assert change.details["changes"] == {
        "staff_role": ["agent", "admin"],
        "is_superuser": [False, True],
    }
    assert describe(change) == (
        f"{admin_user.email} changed Sanna Agent <sanna@tiketti.example>: superuser status "
        "from “no” to “yes”; staff role from “agent” to “admin”."
    )
    [setting] = entries(Action.SETTINGS_CHANGED)
    assert setting.actor == admin_user and setting.target_type == "accounts.user"
    assert describe(setting).startswith(f"{admin_user.email} changed Sanna Agent in the admin.")
    assert "Changed" in describe(setting)  # the admin's own account of the fields


def test_group_changes_are_recorded(agent):
    group = Group.objects.create(name="Billing")
    agent.groups.add(group)
    agent.groups.remove(group)
    added, removed = entries(Action.PERMISSIONS_CHANGED)
    assert added.details == {"field": "groups", "added": ["Billing"], "removed": []}
    assert removed.details == {"field": "groups", "added": [], "removed": ["Billing"]}


def test_new_staff_accounts_are_a_role_change_and_customers_are_not(main_user):
    UserFactory(agent=True, email="new@tiketti.example")
    [created] = entries(Action.ROLE_CHANGED)
    assert created.target_label and created.details["changes"] == {"staff_role": ["", "agent"]}


def test_api_tokens_made_and_revoked_are_recorded(capsys, main_user, admin_user, client):
    call_command("api-token", "create", "--email", main_user.email)
    [created] = entries(Action.API_TOKEN_CREATED)
    token = ApiToken.objects.get()
    assert created.target_id == str(token.pk) and created.actor is None
    assert describe(created).startswith("The system created API token")

    client.force_login(admin_user)
    from django.utils import timezone

    token.revoked_at = timezone.now()
    token.save()
    [revoked] = entries(Action.API_TOKEN_REVOKED)
    assert revoked.details["owner"] == main_user.email


def test_held_requests_and_mail_decisions_are_recorded(client, agent, ordinary_user, organisation):
    from tiketti.mail import inbound
    from tiketti.mail.models import InboundMessage
    from tiketti.tickets import services

    organisation.filing_policy = "main_users"
    agent.language = "en"
    agent.save()
    client.force_login(agent)

    row, _ = inbound.store_raw(b"From: x@stranger.example\r\nSubject: s\r\n\r\nb\r\n", via="pipe")
    inbound.process(row.pk)
    client.post(reverse("desk:mail-retry", args=[row.pk]), REMOTE_ADDR="198.51.100.3")
    client.post(reverse("desk:mail-discard", args=[row.pk]))
    [retried] = entries(Action.HELD_MAIL_RETRIED)
    [discarded] = entries(Action.HELD_MAIL_DISCARDED)
    assert retried.actor == agent and retried.ip_address == "198.51.100.3"
    assert discarded.target_label == "x@stranger.example"
    assert InboundMessage.objects.get(pk=row.pk).status == InboundMessage.Status.DROPPED

    ticket = submit_request(
        IntakeRequest(channel="portal", requester=ordinary_user, subject="S", body_text="B")
    ).ticket
    ticket.held_reason = "not_main_user"
    ticket.save()
    services.accept_held_ticket(ticket=ticket, actor=agent)
    [accepted] = entries(Action.HELD_ACCEPTED)
    assert accepted.target_label == ticket.number and accepted.actor == agent


def test_entries_refuse_to_change_or_go(agent):
    entry = AuditEntry.objects.filter(action=Action.ROLE_CHANGED).get()
    entry.actor_label = "someone else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update(actor_label="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_entries_on_postgresql(agent):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    entry = AuditEntry.objects.get(action=Action.ROLE_CHANGED)
    for statement in (
        "UPDATE audit_auditentry SET actor_label = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == entry.actor_label


def test_entries_outlive_the_person_who_acted(client, agent):
    client.post("/accounts/login/", {"username": agent.email, "password": "secret-pass"})
    entry_id = AuditEntry.objects.get(action=Action.LOGIN).pk
    client.logout()
    agent.api_tokens.all().delete()
    agent.delete()
    entry = AuditEntry.objects.get(pk=entry_id)
    assert entry.actor is None
    assert entry.actor_label == "sanna@tiketti.example"
    assert describe(entry) == "sanna@tiketti.example signed in."


def test_admins_search_the_log_read_only_and_agents_cannot_see_it(client, admin_user, agent):
    client.force_login(admin_user)
    url = reverse("admin:audit_auditentry_changelist")
    page = client.get(url, {"q": agent.email})
    assert page.status_code == 200
    assert "Sanna Agent" in page.content.decode()
    entry = AuditEntry.objects.filter(target_id=str(agent.pk)).first()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    detail = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {})
    assert detail.status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 403


def test_entries_are_told_in_the_readers_language(agent):
    entry = AuditEntry.objects.get(action=Action.ROLE_CHANGED)
    with translation.override("fi"):
        assert describe(entry) == (
            "Järjestelmä muutti tietoja (Sanna Agent <sanna@tiketti.example>): "
            "henkilökuntarooli “ei henkilökunnan jäsen” → “tukihenkilö”."
        )
    with translation.override("pl"):
        assert describe(entry).startswith("Zmiana danych (Sanna Agent")
