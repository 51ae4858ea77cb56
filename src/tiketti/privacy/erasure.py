"""Erasing a person at their request: who they were goes, what happened stays.

The person's row stays (tickets, messages and time entries point at it) with an address
that cannot receive mail, no name, no phone, no password and no way to sign in. Their
texts become a placeholder; the files and raw e-mails they sent are deleted; their name
and address are cut out of the rest of their tickets (staff replies, events, stored mail
copies, webhook payloads). Ticket numbers, timestamps, statuses, SLA results and time
entries are kept, so statistics still count them. Audit entries written before stay as
they were (the log is append-only); the erasure's own entry names only the placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from tiketti.accounts.models import PasswordResetRequest, User
from tiketti.accounts.password_reset import address_digest
from tiketti.api.models import ApiToken
from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit
from tiketti.contracts.models import Quote, TimeEntry
from tiketti.knowledge.models import Deflection
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.satisfaction.models import Survey
from tiketti.tickets.models import Attachment, Message, Ticket, TicketEvent
from tiketti.tickets.search import reindex_ticket
from tiketti.webhooks.models import WebhookDelivery

from .export import person_sessions, person_tickets, sent_by
from .scrubbing import Scrubber, delete_files_after_commit, erased_placeholder, name_placeholder

type Progress = Callable[[int, int], None]


class ErasureRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ErasureCounts:
    tickets: int = 0
    messages: int = 0
    attachments: int = 0
    raw_emails: int = 0
    sent_emails: int = 0
    sessions: int = 0
    api_tokens: int = 0


def erased_address(person: User) -> str:
    return f"erased-{person.pk}@erased.invalid"


def is_erased(person: User) -> bool:
    return person.email == erased_address(person)


def erase_person(
    *, person: User, actor: User | None = None, progress: Progress | None = None
) -> ErasureCounts:
    """Anonymise `person` everywhere (see the module docstring) in one transaction and
    record it in the audit log. `progress(done, total)` is called per ticket."""
    if is_erased(person):
        raise ErasureRefused(f"{person.email} is erased already.", code="already_erased")
    if actor is not None and actor.pk == person.pk:
        raise ErasureRefused("Nobody can erase themselves here.", code="self")
    counts = ErasureCounts()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        language = person.language
        scrub = Scrubber(
            [person.display_name, person.email, person.phone], name_placeholder(language)
        )
        ticket_ids = list(
            Ticket.objects.filter(person_tickets(person)).values_list("pk", flat=True).distinct()
        )
        counts.messages = Message.objects.filter(author=person).update(
            body_text=erased_placeholder(language), body_html=""
        )
        for done, ticket_id in enumerate(sorted(ticket_ids), start=1):
            _scrub_ticket(ticket_id, person, scrub, language)
            if progress is not None:
                progress(done, len(ticket_ids))
        counts.tickets = len(ticket_ids)
        counts.attachments = _delete_attachments(person)
        counts.raw_emails = InboundMessage.objects.filter(sent_by(person)).update(
            raw=b"", sender="", subject="", error="", reason="erased"
        )
        counts.sent_emails = OutgoingEmail.objects.filter(to__iexact=person.email).delete()[0]
        _scrub_elsewhere(person, scrub, language)
        counts.api_tokens = ApiToken.objects.filter(user=person).delete()[0]
        counts.sessions = _end_sessions(person)
        _forget_sign_in_traces(person)
        _anonymise(person)
        record_audit(
            AuditEntry.Action.PERSONAL_DATA_ERASED,
            actor=actor,
            target=person,
            details=asdict(counts),
        )
    return counts


def _scrub_ticket(ticket_id: int, person: User, scrub: Scrubber, language: str) -> None:
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    subject = (
        erased_placeholder(language) if ticket.requester_id == person.pk else scrub(ticket.subject)
    )
    if subject != ticket.subject:
        # A newer version: a form opened before cannot write the old subject back.
        Ticket.objects.filter(pk=ticket_id).update(subject=subject, version=F("version") + 1)
    changed = []
    for message in Message.objects.filter(ticket_id=ticket_id).exclude(author=person):
        text, html = scrub(message.body_text), scrub(message.body_html)
        if (text, html) != (message.body_text, message.body_html):
            message.body_text, message.body_html = text, html
            changed.append(message)
    Message.objects.bulk_update(changed, ["body_text", "body_html"])
    events = []
    for event in TicketEvent.objects.filter(ticket_id=ticket_id):
        old, new = scrub(event.old_value), scrub(event.new_value)
        if (old, new) != (event.old_value, event.new_value):
            event.old_value, event.new_value = old, new
            events.append(event)
    TicketEvent.objects.bulk_update(events, ["old_value", "new_value"])
    _scrub_outgoing(ticket, person, scrub)
    # The desk's search index holds the words too.
    reindex_ticket(Ticket.objects.select_related("requester").get(pk=ticket_id))


def _scrub_outgoing(ticket: Ticket, person: User, scrub: Scrubber) -> None:
    """Our stored copies of mail about the ticket quote what the person wrote: on their
    own tickets the copies lose their text; elsewhere their name and address."""
    emails = list(OutgoingEmail.objects.filter(ticket=ticket))
    for email in emails:
        email.subject = scrub(email.subject)
        if ticket.requester_id == person.pk and email.status in (
            OutgoingEmail.Status.SENT,
            OutgoingEmail.Status.FAILED,
        ):
            email.body_text, email.body_html = "", ""
        else:
            email.body_text, email.body_html = scrub(email.body_text), scrub(email.body_html)
    OutgoingEmail.objects.bulk_update(emails, ["subject", "body_text", "body_html"])


def _delete_attachments(person: User) -> int:
    files = Attachment.objects.filter(message__author=person)
    names = [name for name in files.values_list("file", flat=True) if name]
    count = files.delete()[1].get(Attachment._meta.label, 0)
    delete_files_after_commit(Attachment._meta.get_field("file").storage, names)
    return count


def _scrub_elsewhere(person: User, scrub: Scrubber, language: str) -> None:
    Survey.objects.filter(ticket__requester=person).exclude(comment="").update(comment="")
    Deflection.objects.filter(user=person).update(query="", user=None)
    Quote.objects.filter(decided_by=person).update(
        decided_from="", decided_text=erased_placeholder(language)
    )
    notes = list(
        TimeEntry.objects.filter(ticket__in=Ticket.objects.filter(person_tickets(person))).exclude(
            note=""
        )
    )
    for entry in notes:
        entry.note = scrub(entry.note)
    TimeEntry.objects.bulk_update(notes, ["note"])
    deliveries = list(WebhookDelivery.objects.filter(body__icontains=person.email))
    for delivery in deliveries:
        delivery.body = scrub(delivery.body)
    WebhookDelivery.objects.bulk_update(deliveries, ["body"])


def _end_sessions(person: User) -> int:
    sessions = person_sessions(person)
    for session in sessions:
        session.delete()
    return len(sessions)


def _forget_sign_in_traces(person: User) -> None:
    """Second-factor devices, lock-out records and reset requests name the address."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user

    for device in devices_for_user(person, confirmed=None):
        device.delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=person.email).delete()
    PasswordResetRequest.objects.filter(address_digest=address_digest(person.email)).delete()


def _anonymise(person: User) -> None:
    person.email = erased_address(person)
    person.display_name = ""
    person.phone = ""
    person.password = make_password(None)
    person.is_active = False
    person.receives_incident_notices = False
    person.email_failed_at = None
    person.email_failure = ""
    person.save()
