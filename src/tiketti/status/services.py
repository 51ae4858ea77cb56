"""Incident workflows: open, update, resolve, link tickets and answer them together."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User
from tiketti.knowledge.models import Section
from tiketti.tickets import services as ticket_services
from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Ticket

from .errors import IncidentRefused, IncidentResolved, StaffOnly
from .models import LANGUAGES, Incident, IncidentTicket, IncidentUpdate
from .signals import incident_resolved, incident_started

logger = logging.getLogger(__name__)


def check_staff(user: User) -> None:
    if not user.is_agent:
        raise StaffOnly(_("Only staff can change incidents."))


def _texts(prefix: str, values: Mapping[str, str]) -> dict[str, str]:
    unknown = set(values) - set(LANGUAGES)
    if unknown:
        raise IncidentRefused(_("Languages are fi, pl and en."))
    if not values.get("en", "").strip():
        raise IncidentRefused(_("Give at least the English text."))
    return {f"{prefix}_{language}": values.get(language, "").strip() for language in LANGUAGES}


def _set_exemption(incident: Incident, actor: User, is_sla_exempt: bool) -> None:
    if is_sla_exempt == incident.is_sla_exempt:
        return
    if not actor.is_admin:
        raise StaffOnly(_("Only an admin can excuse SLA breaches."))
    incident.is_sla_exempt = is_sla_exempt
    incident.sla_exempted_by = actor
    incident.sla_exempted_at = timezone.now()


def _set_affected(
    incident: Incident, organisation_ids: Iterable[int] | None, product_ids: Iterable[int] | None
) -> None:
    if organisation_ids is not None:
        wanted = set(organisation_ids)
        found = set(Organisation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            raise IncidentRefused(_("No such organisation: %s") % min(wanted - found))
        incident.organisations.set(found)
    if product_ids is not None:
        wanted = set(product_ids)
        found = set(Section.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            raise IncidentRefused(_("No such product: %s") % min(wanted - found))
        incident.products.set(found)


def open_incident(
    *,
    author: User,
    titles: Mapping[str, str],
    texts: Mapping[str, str],
    state: str = Incident.State.INVESTIGATING,
    organisation_ids: Iterable[int] = (),
    product_ids: Iterable[int] = (),
    is_sla_exempt: bool = False,
    started_at: datetime | None = None,
) -> Incident:
    """Open an incident with its first update; the affected main users are told after
    commit (`incident_started`)."""
    check_staff(author)
    if state == Incident.State.RESOLVED:
        raise IncidentRefused(_("A new incident cannot start resolved."))
    if state not in Incident.State.values:
        raise IncidentRefused(_("Unknown state."))
    with transaction.atomic():
        incident = Incident(
            **_texts("title", titles),
            state=state,
            started_at=started_at or timezone.now(),
            created_by=author,
        )
        _set_exemption(incident, author, is_sla_exempt)
        incident.save()
        _set_affected(incident, organisation_ids, product_ids)
        IncidentUpdate.objects.create(
            incident=incident, state=state, author=author, **_texts("text", texts)
        )
        transaction.on_commit(lambda: incident_started.send(Incident, incident_id=incident.pk))
    return incident


def change_incident(
    *,
    incident: Incident,
    actor: User,
    titles: Mapping[str, str] | None = None,
    organisation_ids: Iterable[int] | None = None,
    product_ids: Iterable[int] | None = None,
    is_sla_exempt: bool | None = None,
) -> Incident:
    """Correct an incident's title, what it affects, or (admins) the SLA exemption."""
    check_staff(actor)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if titles is not None:
            for field, value in _texts("title", titles).items():
                setattr(incident, field, value)
        if is_sla_exempt is not None:
            _set_exemption(incident, actor, is_sla_exempt)
        incident.save()
        _set_affected(incident, organisation_ids, product_ids)
    return incident


def post_update(
    *, incident: Incident, author: User, state: str, texts: Mapping[str, str]
) -> IncidentUpdate:
    """Tell customers where things stand. Moving to `resolved` ends the incident: the
    affected main users are told and the linked tickets are answered, after commit."""
    check_staff(author)
    if state not in Incident.State.values:
        raise IncidentRefused(_("Unknown state."))
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise IncidentResolved(_("This incident is already resolved."))
        update = IncidentUpdate.objects.create(
            incident=incident, state=state, author=author, **_texts("text", texts)
        )
        incident.state = state
        if state == Incident.State.RESOLVED:
            incident.resolved_at = update.created_at
            transaction.on_commit(lambda: incident_resolved.send(Incident, incident_id=incident.pk))
        incident.save(update_fields=["state", "resolved_at"])
    return update


def link_ticket(*, incident: Incident, ticket: Ticket, actor: User) -> IncidentTicket:
    """Mark a ticket as being about the incident (idempotent)."""
    check_staff(actor)
    if not Incident.objects.open().filter(pk=incident.pk).exists():
        raise IncidentResolved(_("This incident is already resolved."))
    link, _created = IncidentTicket.objects.get_or_create(
        incident=incident, ticket=ticket, defaults={"linked_by": actor}
    )
    return link


def unlink_ticket(*, incident: Incident, ticket: Ticket, actor: User) -> None:
    check_staff(actor)
    IncidentTicket.objects.filter(incident=incident, ticket=ticket, answered_at=None).delete()


def answer_linked_tickets(*, incident_id: int) -> int:
    """Post the resolution text, in each requester's language, to every linked ticket not
    answered yet, and mark it solved. Each ticket is claimed in the transaction that
    answers it, so a retry or a second worker never answers twice. Returns how many."""
    incident = Incident.objects.get(pk=incident_id)
    final = incident.updates.order_by("-created_at", "-pk").select_related("author").first()
    if incident.is_open or final is None:
        return 0
    author = final.author or incident.created_by
    if author is None or not author.is_agent:
        logger.warning("incident %s: no staff author to answer its tickets as", incident_id)
        return 0
    answered = 0
    links = IncidentTicket.objects.filter(incident=incident, answered_at=None)
    for link_id in links.values_list("pk", flat=True):
        if _answer_one(link_id, final, author):
            answered += 1
    return answered


def _answer_one(link_id: int, final: IncidentUpdate, author: User) -> bool:
    with transaction.atomic():
        claimed = IncidentTicket.objects.filter(pk=link_id, answered_at=None).update(
            answered_at=timezone.now()
        )
        if not claimed:
            return False
        link = IncidentTicket.objects.select_related("ticket__requester").get(pk=link_id)
        ticket = link.ticket
        if ticket.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
            return False  # already dealt with by hand: nothing more to say
        try:
            with transaction.atomic():
                ticket_services.post_message(
                    ticket=ticket,
                    author=author,
                    body_text=final.text_in(ticket.requester.language),
                    channel=Ticket.Channel.PORTAL,
                    new_status=Ticket.Status.SOLVED,
                )
        except TicketError as error:
            # Recorded as handled: the ticket stays open for a person, and the log says why.
            logger.warning("incident ticket %s not answered: %s", ticket.number, error.message)
            return False
    return True


def record_exemption(*, incident: Incident, actor: User, is_sla_exempt: bool) -> None:
    """Set the exemption on an unsaved or locked incident, recording who and when (admins)."""
    _set_exemption(incident, actor, is_sla_exempt)


def announce_opened(*, incident: Incident) -> None:
    """An incident created with its first update outside `open_incident` (the admin): take
    the state from the latest update and tell the affected main users after commit."""
    latest = incident.updates.order_by("-created_at", "-pk").first()
    if latest is not None and latest.state != incident.state:
        Incident.objects.filter(pk=incident.pk).update(state=latest.state)
    transaction.on_commit(lambda: incident_started.send(Incident, incident_id=incident.pk))
