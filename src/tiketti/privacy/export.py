"""Everything Tiketti holds about one person, as one JSON document (docs/privacy.md).

The shape is a contract (`format`, `version`): fields are added, never renamed. Secrets
(password hashes, API token keys, second-factor seeds) are never part of it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from tiketti.accounts.models import User
from tiketti.api.models import ApiToken
from tiketti.audit.models import AuditEntry
from tiketti.audit.services import record_audit
from tiketti.contracts.models import Quote, TimeEntry
from tiketti.knowledge.models import Deflection
from tiketti.mail.models import InboundMessage, OutgoingEmail
from tiketti.satisfaction.models import Survey
from tiketti.tickets.models import Attachment, Message, Ticket

FORMAT = "tiketti-personal-data"
VERSION = 1

type Json = dict[str, Any]


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def person_tickets(person: User) -> Q:
    """Tickets the person filed, is copied on, or wrote in."""
    written = Message.objects.filter(author=person).values("ticket_id")
    return Q(requester=person) | Q(cc=person) | Q(pk__in=written)


def build_export(person: User) -> Json:
    """The person's data; read-only."""
    tickets = list(
        Ticket.objects.filter(person_tickets(person))
        .distinct()
        .select_related("organisation", "category")
        .prefetch_related("cc")
        .order_by("created_at", "pk")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "person": _profile(person),
        "organisation": _organisation(person),
        "tickets": [_ticket(ticket, person) for ticket in tickets],
        "messages": _messages(person, [ticket.pk for ticket in tickets]),
        "attachments": _attachments(person),
        "received_email": _received_email(person),
        "sent_email": _sent_email(person),
        "time_entries": _time_entries(person),
        "quotes": _quotes(person),
        "satisfaction": _satisfaction(person),
        "help_center": _help_center(person),
        "api_tokens": _api_tokens(person),
        "sessions": _sessions(person),
        "audit": _audit(person),
    }


def export_json(person: User) -> str:
    return json.dumps(build_export(person), ensure_ascii=False, indent=2)


def record_export(person: User, *, actor: User | None, via: str) -> None:
    """The audit entry for an export (which person, by whom, how; not what it held)."""
    record_audit(
        AuditEntry.Action.PERSONAL_DATA_EXPORTED, actor=actor, target=person, details={"via": via}
    )


def _profile(person: User) -> Json:
    return {
        "id": person.pk,
        "email": person.email,
        "name": person.display_name,
        "phone": person.phone,
        "language": person.language,
        "staff_role": person.staff_role,
        "is_active": person.is_active,
        "joined_at": _when(person.date_joined),
        "last_login_at": _when(person.last_login),
        "email_bounced_at": _when(person.email_failed_at),
        "email_bounce_reason": person.email_failure,
        "receives_incident_notices": person.receives_incident_notices,
    }


def _organisation(person: User) -> Json | None:
    organisation = person.organisation
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation.name, "role": person.customer_role}


def _ticket(ticket: Ticket, person: User) -> Json:
    relation = (
        "requester"
        if ticket.requester_id == person.pk
        else "cc"
        if any(copied.pk == person.pk for copied in ticket.cc.all())
        else "writer"
    )
    return {
        "number": ticket.number,
        "relation": relation,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "category": ticket.category.slug if ticket.category else None,
        "organisation": ticket.organisation.name if ticket.organisation else None,
        "created_at": _when(ticket.created_at),
        "updated_at": _when(ticket.updated_at),
        "resolved_at": _when(ticket.resolved_at),
    }


def _messages(person: User, ticket_ids: list[int]) -> list[Json]:
    """What they wrote, and the public replies on their tickets (their correspondence);
    staff's internal notes are not theirs."""
    messages = (
        Message.objects.filter(Q(author=person) | Q(ticket_id__in=ticket_ids, is_internal=False))
        .select_related("ticket", "author")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": message.pk,
            "ticket": message.ticket.number,
            "written_by_person": message.author_id == person.pk,
            "author": message.author.get_full_name() if message.author_id != person.pk else None,
            "created_at": _when(message.created_at),
            "channel": message.channel,
            "is_internal": message.is_internal,
            "text": message.body_text,
        }
        for message in messages
    ]


def _attachments(person: User) -> list[Json]:
    files = Attachment.objects.filter(message__author=person).select_related("ticket")
    return [
        {
            "id": attachment.pk,
            "ticket": attachment.ticket.number,
            "message": attachment.message_id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "created_at": _when(attachment.created_at),
        }
        for attachment in files.order_by("created_at", "pk")
    ]


def sent_by(person: User) -> Q:
    """Stored raw e-mails the person sent (by address, or that became their message)."""
    return Q(sender__iexact=person.email) | Q(ticket_message__author=person)


def _received_email(person: User) -> list[Json]:
    rows = InboundMessage.objects.filter(sent_by(person)).select_related("ticket")
    return [
        {
            "id": row.pk,
            "received_at": _when(row.received_at),
            "subject": row.subject,
            "status": row.status,
            "ticket": row.ticket.number if row.ticket else None,
            "size": len(row.raw),
        }
        for row in rows.order_by("received_at", "pk")
    ]


def _sent_email(person: User) -> list[Json]:
    rows = OutgoingEmail.objects.filter(to__iexact=person.email).select_related("ticket")
    return [
        {
            "template": row.template,
            "subject": row.subject,
            "status": row.status,
            "ticket": row.ticket.number if row.ticket else None,
            "created_at": _when(row.created_at),
        }
        for row in rows.order_by("created_at", "pk")
    ]


def _time_entries(person: User) -> list[Json]:
    rows = TimeEntry.objects.filter(agent=person).select_related("ticket")
    return [
        {
            "ticket": entry.ticket.number,
            "minutes": entry.minutes,
            "note": entry.note,
            "worked_at": _when(entry.worked_at),
        }
        for entry in rows.order_by("worked_at", "pk")
    ]


def _quotes(person: User) -> list[Json]:
    rows = Quote.objects.filter(Q(created_by=person) | Q(decided_by=person)).select_related(
        "ticket"
    )
    return [
        {
            "reference": quote.reference,
            "ticket": quote.ticket.number,
            "status": quote.status,
            "created_by_person": quote.created_by_id == person.pk,
            "decided_by_person": quote.decided_by_id == person.pk,
            "decided_at": _when(quote.decided_at),
            "decided_via": quote.decided_via,
            "decided_from": quote.decided_from if quote.decided_by_id == person.pk else "",
            "decided_text": quote.decided_text if quote.decided_by_id == person.pk else "",
        }
        for quote in rows.order_by("created_at", "pk")
    ]


def _satisfaction(person: User) -> list[Json]:
    rows = Survey.objects.filter(ticket__requester=person).exclude(rating="", comment="")
    return [
        {
            "ticket": survey.ticket.number,
            "rating": survey.rating,
            "comment": survey.comment,
            "rated_at": _when(survey.rated_at),
        }
        for survey in rows.select_related("ticket").order_by("created_at", "pk")
    ]


def _help_center(person: User) -> Json:
    deflections = Deflection.objects.filter(user=person).order_by("created_at", "pk")
    return {
        "solved_without_a_ticket": [
            {"article": row.article_id, "question": row.query, "at": _when(row.created_at)}
            for row in deflections
        ]
    }


def _api_tokens(person: User) -> list[Json]:
    return [
        {
            "name": token.name,
            "hint": token.hint,
            "created_at": _when(token.created_at),
            "last_used_at": _when(token.last_used_at),
            "revoked_at": _when(token.revoked_at),
        }
        for token in ApiToken.objects.filter(user=person).order_by("created_at", "pk")
    ]


def person_sessions(person: User) -> list[Session]:
    """The person's unexpired sessions (the database backend stores who owns each)."""
    live = Session.objects.filter(expire_date__gt=timezone.now())
    return [s for s in live if s.get_decoded().get("_auth_user_id") == str(person.pk)]


def _sessions(person: User) -> list[Json]:
    return [{"expires_at": _when(session.expire_date)} for session in person_sessions(person)]


def _audit(person: User) -> list[Json]:
    about = Q(actor=person) | Q(target_type=User._meta.label_lower, target_id=str(person.pk))
    return [
        {
            "at": _when(entry.created_at),
            "action": entry.action,
            "role": "actor" if entry.actor_id == person.pk else "target",
            "actor": entry.actor_label,
            "ip_address": entry.ip_address,
            "details": entry.details,
        }
        for entry in AuditEntry.objects.filter(about).order_by("created_at", "pk")
    ]
