"""Development ideas (MISSION R28): customers' requests for new features, kept as a list
staff and product people evaluate.

A ticket in a category for ideas starts an idea when it arrives (`services.open_ticket`);
staff turn any ticket into one, or link it to an idea already on the list: each linked
ticket's organisation is a vote. The requesters of the linked tickets are told, in their
language, when the idea's status changes (`signals.idea_status_changed`, mail reacts).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User

from . import services
from .errors import NotAllowed, TicketError
from .models import Idea, Ticket
from .signals import idea_status_changed


def ideas_with_votes() -> QuerySet[Idea]:
    """Every idea with `vote_count` (organisations that asked) and `ticket_count`."""
    return Idea.objects.annotate(
        vote_count=Count("tickets__organisation", distinct=True),
        ticket_count=Count("tickets", distinct=True),
    ).order_by("-vote_count", "-updated_at", "-pk")


def voting_organisations(idea: Idea) -> list[Organisation]:
    return list(Organisation.objects.filter(tickets__idea=idea).distinct().order_by("name"))


def _check_staff(actor: User) -> None:
    if not actor.is_agent:
        raise NotAllowed(_("Only staff can manage development ideas."), code="forbidden")


def make_idea(*, ticket: Ticket, actor: User, idea: Idea | None = None) -> Idea:
    """Turn the ticket into a development idea: link it to `idea` (its organisation
    votes for it) or, without one, start a new idea from the ticket's subject."""
    _check_staff(actor)
    if idea is not None and ticket.idea_id == idea.pk:
        raise TicketError(_("The ticket is already linked to this idea."), code="already_linked")
    with transaction.atomic():
        if idea is None:
            first = ticket.messages.order_by("created_at", "pk").first()
            idea = Idea.objects.create(
                title=ticket.subject, description=first.body_text[:4000] if first else ""
            )
        services.link_to_idea(ticket=ticket, actor=actor, idea=idea)
        Idea.objects.filter(pk=idea.pk).update(updated_at=timezone.now())
    return idea


def change_idea_status(*, idea: Idea, actor: User, status: str) -> Idea:
    """Move the idea to `status`; its requesters are told after commit."""
    _check_staff(actor)
    if status not in Idea.Status.values:
        raise TicketError(
            _("“%(status)s” is not a status of an idea.") % {"status": status},
            code="unknown_status",
        )
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        old = idea.status
        if old == status:
            return idea
        idea.status = status
        idea.updated_at = timezone.now()
        idea.save(update_fields=["status", "updated_at"])
        transaction.on_commit(
            lambda: idea_status_changed.send(Idea, idea_id=idea.pk, old_status=old)
        )
    return idea
