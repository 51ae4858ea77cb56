"""Every real-world message in ../shared/corpus/mail through `tiketti mail ingest`: none
crashes, none is lost, every one ends as a ticket message or held/dropped with a reason,
and what staff read (subject, sender) is decoded text."""

import hashlib
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command

from tiketti.accounts.tests.factories import OrganisationFactory
from tiketti.mail.inbound import peek_message_id
from tiketti.mail.models import InboundMessage
from tiketti.mail.parsing import parse_email
from tiketti.tickets.models import Ticket

from .test_parsing import CORPUS_FILES, require_corpus

FINAL = {"processed", "held", "dropped", "duplicate"}
OUTPUT = re.compile(r"^(AB-\d+|held [a-z_-]+|dropped [a-z-]+)$")


@pytest.fixture
def customers(db):
    """Make most corpus senders customers, so messages run the whole way to a ticket."""
    domains = {
        parse_email(path.read_bytes()).from_address.rpartition("@")[2] for path in CORPUS_FILES
    }
    organisation = OrganisationFactory(name="Corpus customers", domain="corpus.example")
    for domain in sorted(d for d in domains if d and "." in d)[:400]:
        organisation.domains.create(domain=domain)
    return organisation


def test_every_corpus_message_is_ingested_and_accounted_for(customers, settings):
    require_corpus()
    settings.TIKETTI_AUTO_REPLY_LIMIT = 1000
    outputs: list[str] = []
    for path in CORPUS_FILES:
        out = io.StringIO()
        call_command("mail", "ingest", str(path), stdout=out)
        outputs.append(out.getvalue().strip())
    bad = [(p.name, o) for p, o in zip(CORPUS_FILES, outputs, strict=True) if not OUTPUT.match(o)]
    assert bad == []
    # None lost: every file is stored (once per distinct message) and has a final outcome.
    for path in CORPUS_FILES:
        raw = path.read_bytes()
        same_bytes = InboundMessage.objects.filter(sha256=hashlib.sha256(raw).hexdigest())
        same_id = InboundMessage.objects.filter(message_id=peek_message_id(raw) or "-")
        assert same_bytes.exists() or same_id.exists(), path
    statuses = Counter(InboundMessage.objects.values_list("status", flat=True))
    assert set(statuses) <= FINAL, statuses
    assert statuses["processed"] > 50 and statuses["dropped"] > 500  # tickets and bounces both
    # What staff read is decoded text.
    for row in InboundMessage.objects.all():
        assert "=?" not in row.subject and "=?" not in row.sender, row.pk
    for subject in Ticket.objects.values_list("subject", flat=True):
        assert "=?" not in subject
