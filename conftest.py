"""Shared fixtures: named personas for permission tests, and a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from tiketti.accounts.tests.factories import (
    ContactFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)
from tiketti.reference_data import forget_all
from tiketti.settings import upload_limits
from tiketti.tickets.tests.factories import CategoryFactory


@pytest.fixture(autouse=True)
def english_by_default():
    """Requests activate their user's language on the thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_kept_reference_data():
    """Mailboxes, policies and contracts are kept in memory; a rolled-back test's must not
    linger into the next test."""
    forget_all()


@pytest.fixture
def default_upload_limits(settings):
    """The upload limits of a fresh installation, 10 MB per file (the test settings' are
    1 MB), with Django's request limits derived from it as in production."""
    for name, value in upload_limits(10 * 1024 * 1024, 10).items():
        setattr(settings, name, value)


@pytest.fixture
def team(db):
    return TeamFactory(name="Support")


@pytest.fixture
def category(db, team):
    return CategoryFactory(slug="bug", team=team)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Aurora Oy", domain="aurora.example")


@pytest.fixture
def main_user(organisation):
    """Maija: main user of Aurora, Finnish."""
    return ContactFactory(
        organisation=organisation,
        main=True,
        email="maija@aurora.example",
        display_name="Maija Virtanen",
        language="fi",
    )


@pytest.fixture
def ordinary_user(organisation):
    """Jussi: ordinary user of Aurora."""
    return ContactFactory(
        organisation=organisation,
        email="jussi@aurora.example",
        display_name="Jussi Nieminen",
        language="fi",
    )


@pytest.fixture
def stranger(db):
    """Anna: main user of another organisation (Polish)."""
    other = OrganisationFactory(name="Bursztyn", domain="bursztyn.example", language="pl")
    return ContactFactory(
        organisation=other,
        main=True,
        email="anna@bursztyn.example",
        display_name="Anna Kowalska",
        language="pl",
    )


@pytest.fixture
def agent(db, team):
    user = UserFactory(
        agent=True, email="sanna@tiketti.example", display_name="Sanna Agent", language="fi"
    )
    user.teams.add(team)
    return user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpSink:
    """Messages a real SMTP server on loopback received."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    """A real aiosmtpd server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": sink.host, "port": sink.port, "timeout": 10},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def default_routing_rules(db):
    """The routing rules a migration installs (account manager, then the organisation's own
    expert). A transactional test's database is emptied after each test, so tests that rely
    on them after another one ask for them again."""
    from django.utils.module_loading import import_string

    from tiketti.tickets.models import RoutingRule

    rules = import_string("tiketti.tickets.migrations.0019_default_routing_rules.RULES")
    for rule in rules:
        RoutingRule.objects.get_or_create(name=rule["name"], defaults=rule)
