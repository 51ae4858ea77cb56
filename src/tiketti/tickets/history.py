"""A ticket's history in words, in the reader's language: one renderer for desk and portal.

Events store codes and stable keys (a status code, a category's slug, a team's default
name); this module turns them into sentences at display time, so a Finnish agent reads
Finnish whoever made the change and in whatever language. Events written before the keys
were stable (a category's name in its author's language) are matched by any of the
item's names, and shown as stored when nothing matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from tiketti.accounts.models import Team
from tiketti.reference_data import ReferenceData

from .fields import display
from .models import (
    SLA_CLOCK_LABELS,
    Category,
    CategoryField,
    Impact,
    RoutingRule,
    ScopeAnswer,
    Ticket,
    TicketEvent,
    Urgency,
)

# What a customer's history shows: what happened to their request, not the desk's work.
CUSTOMER_KINDS = frozenset(
    {
        TicketEvent.Kind.CREATED,
        TicketEvent.Kind.STATUS,
        TicketEvent.Kind.ACCEPTED,
        TicketEvent.Kind.DECLINED,
        TicketEvent.Kind.QUOTE,
        TicketEvent.Kind.OUT_OF_SCOPE,
        TicketEvent.Kind.ATTACHMENT_BLOCKED,
        TicketEvent.Kind.MERGED_INTO,
        TicketEvent.Kind.MERGED_FROM,
        TicketEvent.Kind.SPLIT_OFF,
        TicketEvent.Kind.SPLIT_FROM,
    }
)


@dataclass(frozen=True)
class HistoryLine:
    created_at: datetime
    actor: str
    text: str


def _load_teams() -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for team in Team.objects.all():
        for name in [team.name, *(team.name_translations or {}).values()]:
            teams.setdefault(name, team)
    return teams


def _load_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for category in Category.objects.all():
        for key in (category.slug, category.name_en, category.name_fi, category.name_pl):
            if key:
                categories.setdefault(key, category)
    return categories


def _load_rules() -> dict[str, RoutingRule]:
    return {str(rule.pk): rule for rule in RoutingRule.objects.all()}


def _load_fields() -> dict[tuple[int, str], CategoryField]:
    return {(field.category_id, field.name): field for field in CategoryField.objects.all()}


def _load_scope_answers() -> dict[str, ScopeAnswer]:
    return {str(answer.pk): answer for answer in ScopeAnswer.objects.all()}


# Read by every ticket page's history; admins rename teams and categories rarely.
_teams = ReferenceData(_load_teams, watch=("accounts.Team",))
_categories = ReferenceData(_load_categories, watch=("tickets.Category",))
_rules = ReferenceData(_load_rules, watch=("tickets.RoutingRule",))
_fields = ReferenceData(_load_fields, watch=("tickets.CategoryField",))
_scope_answers = ReferenceData(_load_scope_answers, watch=("tickets.ScopeAnswer",))


def _team(value: str) -> str:
    team = _teams.get().get(value)
    return team.localized_name() if team else value


def _category(value: str) -> str:
    category = _categories.get().get(value)
    return category.name if category else value


def _choice(
    choices: type[Ticket.Status] | type[Ticket.Priority] | type[Impact] | type[Urgency],
    value: str,
) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _change(old: str, new: str, *, to: str, cleared: str, changed: str) -> str:
    if not old:
        return to % {"new": new}
    if not new:
        return cleared % {"old": old}
    return changed % {"old": old, "new": new}


def _status(event: TicketEvent) -> str:
    return _("changed the status from “%(old)s” to “%(new)s”") % {
        "old": _choice(Ticket.Status, event.old_value),
        "new": _choice(Ticket.Status, event.new_value),
    }


def _priority(event: TicketEvent) -> str:
    return _("changed the priority from “%(old)s” to “%(new)s”") % {
        "old": _choice(Ticket.Priority, event.old_value),
        "new": _choice(Ticket.Priority, event.new_value),
    }


def _impact(event: TicketEvent) -> str:
    return _change(
        _choice(Impact, event.old_value),
        _choice(Impact, event.new_value),
        to=_("set the impact to “%(new)s”"),
        cleared=_("removed the impact “%(old)s”"),
        changed=_("changed the impact from “%(old)s” to “%(new)s”"),
    )


def _urgency(event: TicketEvent) -> str:
    return _change(
        _choice(Urgency, event.old_value),
        _choice(Urgency, event.new_value),
        to=_("set the urgency to “%(new)s”"),
        cleared=_("removed the urgency “%(old)s”"),
        changed=_("changed the urgency from “%(old)s” to “%(new)s”"),
    )


def _field_answer(event: TicketEvent) -> str:
    field = _fields.get().get((event.ticket.category_id or 0, event.old_value))
    label = field.label if field else event.old_value
    value = display(field, event.new_value.split(", ")) if field and field.has_choices else ""
    value = value or event.new_value
    if not value:
        return _("cleared the answer to “%(question)s”") % {"question": label}
    return _("answered “%(question)s”: %(answer)s") % {"question": label, "answer": value}


def _out_of_scope(event: TicketEvent) -> str:
    answer = _scope_answers.get().get(event.new_value)
    title = answer.title if answer else event.new_value
    return _(
        "answered that the request is outside the support service (“%(answer)s”) and closed it"
    ) % {"answer": title}


def _assignee(event: TicketEvent) -> str:
    return _change(
        event.old_value,
        event.new_value,
        to=_("assigned the ticket to %(new)s"),
        cleared=_("took the ticket from %(old)s (nobody is assigned)"),
        changed=_("reassigned the ticket from %(old)s to %(new)s"),
    )


def _team_change(event: TicketEvent) -> str:
    return _change(
        _team(event.old_value),
        _team(event.new_value),
        to=_("gave the ticket to the team %(new)s"),
        cleared=_("took the ticket from the team %(old)s"),
        changed=_("moved the ticket from the team %(old)s to %(new)s"),
    )


def _category_change(event: TicketEvent) -> str:
    return _change(
        _category(event.old_value),
        _category(event.new_value),
        to=_("set the category to %(new)s"),
        cleared=_("removed the category %(old)s"),
        changed=_("changed the category from %(old)s to %(new)s"),
    )


def _sla(event: TicketEvent) -> str:
    label = SLA_CLOCK_LABELS.get(event.old_value)
    clock = str(label) if label else event.old_value
    sentences = {
        "met": _("%(clock)s target met"),
        "breached": _("%(clock)s target missed"),
        "overdue": _("%(clock)s is overdue"),
    }
    sentence = sentences.get(event.new_value)
    if sentence is None:
        return f"{clock}: {event.new_value}"
    text = sentence % {"clock": clock}
    return text[:1].upper() + text[1:]


def _quote(event: TicketEvent) -> str:
    from tiketti.contracts.models import Quote  # contracts builds on tickets: read lazily

    if not event.old_value:
        return _("sent the quote %(reference)s") % {"reference": event.new_value}
    try:
        state = str(Quote.Status(event.new_value).label)
    except ValueError:
        state = event.new_value  # written before decisions were stored as codes
    return _("quote %(reference)s: %(state)s") % {"reference": event.old_value, "state": state}


def _routed(event: TicketEvent) -> str:
    rule = _rules.get().get(event.old_value)
    name = rule.localized_name() if rule else f"#{event.old_value}"  # deleted since
    part, _separator, value = event.new_value.partition(":")
    sentences = {
        "team": (_("routed to the team %(target)s by the rule “%(rule)s”"), _team(value)),
        "assignee": (_("routed to %(target)s by the rule “%(rule)s”"), value),
        "category": (
            _("set the category to %(target)s by the rule “%(rule)s”"),
            _category(value),
        ),
    }
    sentence, target = sentences.get(part, ("%(target)s (%(rule)s)", event.new_value))
    return sentence % {"target": target, "rule": name}


def _accepted(event: TicketEvent) -> str:
    if event.new_value:
        return _("accepted the held request on behalf of %(name)s") % {"name": event.new_value}
    return _("accepted the held request")


SENTENCES: dict[str, Callable[[TicketEvent], str]] = {
    TicketEvent.Kind.CREATED: lambda event: (
        _("opened the ticket %(number)s") % {"number": event.new_value}
    ),
    TicketEvent.Kind.MESSAGE: lambda event: _("replied"),
    TicketEvent.Kind.NOTE: lambda event: _("wrote an internal note"),
    TicketEvent.Kind.STATUS: _status,
    TicketEvent.Kind.ASSIGNEE: _assignee,
    TicketEvent.Kind.TEAM: _team_change,
    TicketEvent.Kind.CATEGORY: _category_change,
    TicketEvent.Kind.PRIORITY: _priority,
    TicketEvent.Kind.IMPACT: _impact,
    TicketEvent.Kind.URGENCY: _urgency,
    TicketEvent.Kind.FIELD_ANSWER: _field_answer,
    TicketEvent.Kind.OUT_OF_SCOPE: _out_of_scope,
    TicketEvent.Kind.ATTACHMENT: lambda event: _("attached %(file)s") % {"file": event.new_value},
    TicketEvent.Kind.ATTACHMENT_BLOCKED: lambda event: (
        _(
            "did not attach %(file)s from the e-mail: files of this type (%(type)s) are not "
            "accepted, so nobody can download it"
        )
        % {"file": event.new_value, "type": event.old_value}
    ),
    TicketEvent.Kind.SLA: _sla,
    TicketEvent.Kind.REDACTED: lambda event: (
        _("removed personal data from message %(message)s") % {"message": event.old_value}
    ),
    TicketEvent.Kind.ACCEPTED: _accepted,
    TicketEvent.Kind.DECLINED: lambda event: _("declined the held request"),
    TicketEvent.Kind.QUOTE: _quote,
    TicketEvent.Kind.ROUTED: _routed,
    TicketEvent.Kind.ACUTE: lambda event: _(
        "reported an acute incident (site down or under attack)"
    ),
    TicketEvent.Kind.IDEA: lambda event: (
        _("linked the ticket to development idea #%(idea)s") % {"idea": event.new_value}
    ),
    TicketEvent.Kind.TIME: lambda event: _("logged %(time)s of work") % {"time": event.new_value},
    TicketEvent.Kind.MERGED_INTO: lambda event: (
        _("merged this ticket into %(number)s") % {"number": event.new_value}
    ),
    TicketEvent.Kind.MERGED_FROM: lambda event: (
        _("merged the ticket %(number)s into this one") % {"number": event.old_value}
    ),
    TicketEvent.Kind.SPLIT_OFF: lambda event: (
        _("split messages off into the new ticket %(number)s") % {"number": event.new_value}
    ),
    TicketEvent.Kind.SPLIT_FROM: lambda event: (
        _("split this ticket off from %(number)s") % {"number": event.old_value}
    ),
    TicketEvent.Kind.MAIL_HELD_BACK: lambda event: (
        _("did not send an automatic e-mail to %(address)s (hourly limit reached)")
        % {"address": event.new_value}
    ),
}


# Things other apps own that events store by their default name (a desk macro's): each app
# registers how to show such a name in the reader's language (tickets imports no adapter).
NAME_RESOLVERS: dict[str, Callable[[str], str]] = {}


def register_names(kind: str, resolve: Callable[[str], str]) -> None:
    """Show the names events of `kind` store as `resolve(name)` gives them."""
    NAME_RESOLVERS[kind] = resolve


def _macro(event: TicketEvent) -> str:
    resolve = NAME_RESOLVERS.get(TicketEvent.Kind.MACRO, str)
    return _("applied the macro “%(name)s”") % {"name": resolve(event.new_value)}


SENTENCES[TicketEvent.Kind.MACRO] = _macro


def describe_event(event: TicketEvent) -> HistoryLine:
    sentence = SENTENCES.get(event.kind)
    text = sentence(event) if sentence else event.get_kind_display()
    actor = event.actor.get_full_name() if event.actor else _("system")
    return HistoryLine(created_at=event.created_at, actor=actor, text=text)


def ticket_history(ticket: Ticket, *, for_customer: bool = False) -> list[HistoryLine]:
    """The ticket's events in words, oldest first; a customer sees only `CUSTOMER_KINDS`."""
    events = ticket.events.select_related("actor")
    if for_customer:
        events = events.filter(kind__in=CUSTOMER_KINDS)
    return [describe_event(event) for event in events]
