"""Routing: which category, team and person a new request goes to.

Admins order the rules (`RoutingRule.position`). Each rule has conditions (category,
category handling, organisation, mailbox, keywords, language; every one that is set must
hold) and gives a category (only to a request without one), a team and/or an assignee: a
named person, the organisation's own expert or its account manager.

Rules are read in order and, for each of category, team and assignee, the first matching
rule that gives one wins: a keyword rule can give a mail its category while the customer's
expert rule above it gives the person. A category a rule gave counts for the rules below
it. A rule that names the organisation's expert (or account manager) gives nobody when the
organisation has none, and the next rule is asked. What no rule gives comes from the
category (its team) or the channel (the mailbox's team).

Two rules are installed first (migration `tickets.0008`): administrative matters to the
account manager, then every request to the organisation's expert. Admins may reorder or
switch them off like any other.

The matching is pure (`decide`, over `RuleSpec` and `Facts`); `route` reads the rules
(kept in memory, see `reference_data`) and the people they name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from tiketti.accounts.models import Organisation, Team, User
from tiketti.fulltext import LANGUAGES, stem, tokenize
from tiketti.reference_data import ReferenceData

from .models import Category, RoutingRule

# Keywords are looked for in the subject and the start of the text (a long forwarded
# thread would match everything).
KEYWORD_TEXT_LIMIT = 4000


TRUNCATED_LANGUAGES = frozenset({"fi", "pl"})
MIN_SHARED = 5


def _same_word(one: str, other: str) -> bool:
    shortest = min(len(one), len(other))
    if shortest < MIN_SHARED:
        return False
    wanted = max(MIN_SHARED, shortest - 3)
    return one[:wanted] == other[:wanted]


def _stems(words: Iterable[str], language: str) -> frozenset[str]:
    return frozenset(stem(word, language) for word in words)


@dataclass(frozen=True)
class Keyword:
    """One keyword or phrase: its stems in each language."""

    text: str

    @cached_property
    def stems(self) -> dict[str, frozenset[str]]:
        words = tokenize(self.text)
        return {language: _stems(words, language) for language in LANGUAGES}


def parse_keywords(text: str) -> tuple[Keyword, ...]:
    """An admin's keyword list: one word or phrase a line (commas separate too)."""
    parts = (part.strip() for line in text.splitlines() for part in line.split(","))
    return tuple(Keyword(part) for part in parts if tokenize(part))


@dataclass(frozen=True)
class Facts:
    """What routing knows about a request."""

    category_id: int | None = None
    handling: str = ""
    organisation_id: int | None = None
    mailbox_id: int | None = None
    language: str = ""
    text: str = ""

    @cached_property
    def stems(self) -> dict[str, frozenset[str]]:
        words = tokenize(self.text[:KEYWORD_TEXT_LIMIT])
        return {language: _stems(words, language) for language in LANGUAGES}

    def mentions(self, keyword: Keyword) -> bool:
        """Every word of the keyword occurs in the text, inflected or not, in one of the
        languages (a Finnish customer may write English)."""
        return any(
            keyword.stems[language]
            and all(self._has(term, language) for term in keyword.stems[language])
            for language in LANGUAGES
        )

    def _has(self, term: str, language: str) -> bool:
        known = self.stems[language]
        if term in known:
            return True
        # Snowball's Finnish and Polish stems of one word still differ (salasana → salas,
        # salasanan → salasan): as search does, stems sharing all but their last three
        # letters (at least five) are the same word.
        if language not in TRUNCATED_LANGUAGES or len(term) < MIN_SHARED:
            return False
        return any(_same_word(term, other) for other in known)


@dataclass(frozen=True)
class RuleSpec:
    """A routing rule as plain values."""

    pk: int
    name: str
    category_ids: frozenset[int] = frozenset()
    handling: str = ""
    organisation_ids: frozenset[int] = frozenset()
    mailbox_ids: frozenset[int] = frozenset()
    keywords: tuple[Keyword, ...] = ()
    language: str = ""
    set_category_id: int | None = None
    team_id: int | None = None
    assign: str = ""
    assignee_id: int | None = None

    def matches(self, facts: Facts, category_id: int | None, handling: str) -> bool:
        return (
            (not self.category_ids or category_id in self.category_ids)
            and (not self.handling or handling == self.handling)
            and (not self.organisation_ids or facts.organisation_id in self.organisation_ids)
            and (not self.mailbox_ids or facts.mailbox_id in self.mailbox_ids)
            and (not self.language or facts.language == self.language)
            and (not self.keywords or any(facts.mentions(k) for k in self.keywords))
        )


@dataclass(frozen=True)
class People:
    """Whom the organisation names: the staff user ids, or None."""

    expert_id: int | None = None
    account_manager_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """What routing gave, and by which rule (its pk) each part."""

    category_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    by_rule: dict[str, int] = field(default_factory=dict)


def _assignee_of(rule: RuleSpec, people: People) -> int | None:
    if rule.assign == RoutingRule.Assign.PERSON:
        return rule.assignee_id
    if rule.assign == RoutingRule.Assign.EXPERT:
        return people.expert_id
    if rule.assign == RoutingRule.Assign.ACCOUNT_MANAGER:
        return people.account_manager_id
    return None


def decide(
    rules: Sequence[RuleSpec],
    facts: Facts,
    people: People,
    handling_of: dict[int, str],
) -> Decision:
    """Walk the rules in order; per part, the first matching rule that gives one wins.
    `handling_of`: each category's handling, for a category a rule gives."""
    category_id, handling = facts.category_id, facts.handling
    team_id = assignee_id = None
    by_rule: dict[str, int] = {}
    for rule in rules:
        if not rule.matches(facts, category_id, handling):
            continue
        if category_id is None and rule.set_category_id is not None:
            category_id = rule.set_category_id
            handling = handling_of.get(category_id, "")
            by_rule["category"] = rule.pk
        if team_id is None and rule.team_id is not None:
            team_id = rule.team_id
            by_rule["team"] = rule.pk
        if assignee_id is None and (person := _assignee_of(rule, people)) is not None:
            assignee_id = person
            by_rule["assignee"] = rule.pk
        if team_id is not None and assignee_id is not None and category_id is not None:
            break
    given_category = category_id if "category" in by_rule else None
    return Decision(given_category, team_id, assignee_id, by_rule)


def _load_rules() -> tuple[tuple[RuleSpec, ...], dict[int, str]]:
    rules = RoutingRule.objects.filter(is_active=True).prefetch_related(
        "categories", "organisations", "mailboxes"
    )
    specs = tuple(
        RuleSpec(
            pk=rule.pk,
            name=rule.name,
            category_ids=frozenset(c.pk for c in rule.categories.all()),
            handling=rule.handling,
            organisation_ids=frozenset(o.pk for o in rule.organisations.all()),
            mailbox_ids=frozenset(m.pk for m in rule.mailboxes.all()),
            keywords=parse_keywords(rule.keywords),
            language=rule.language,
            set_category_id=rule.set_category_id,
            team_id=rule.team_id,
            assign=rule.assign,
            assignee_id=rule.assignee_id if rule.assign == RoutingRule.Assign.PERSON else None,
        )
        for rule in rules
    )
    handling = dict(Category.objects.values_list("pk", "handling"))
    return specs, handling


# Every new request reads the rules; admins change them a few times a month.
_rules = ReferenceData(_load_rules, watch=("tickets.RoutingRule", "tickets.Category"))


def forget_rules() -> None:
    _rules.forget()


@dataclass(frozen=True)
class Routed:
    """Routing's outcome as rows: what to open the ticket with, and the rule behind each."""

    category: Category | None
    team: Team | None
    assignee: User | None
    # Per part given ("category", "team", "assignee"): the pk of the rule that gave it.
    rules: dict[str, int] = field(default_factory=dict)


def route(
    *,
    category: Category | None,
    organisation: Organisation | None,
    mailbox_id: int | None,
    language: str,
    text: str,
) -> Routed:
    """Decide a new request's category, team and assignee by the rules (see the module
    docstring). Parts no rule gives are None: the caller keeps its defaults."""
    rules, handling_of = _rules.get()
    if not rules:
        return Routed(None, None, None)
    facts = Facts(
        category_id=category.pk if category else None,
        handling=category.handling if category else "",
        organisation_id=organisation.pk if organisation else None,
        mailbox_id=mailbox_id,
        language=language,
        text=text,
    )
    named = _named_staff(organisation)
    people = People(
        organisation.expert_id if organisation and organisation.expert_id in named else None,
        organisation.account_manager_id
        if organisation and organisation.account_manager_id in named
        else None,
    )
    decision = decide(rules, facts, people, handling_of)
    if not decision.by_rule:
        return Routed(None, None, None)
    return Routed(
        category=(
            Category.objects.select_related("team").get(pk=decision.category_id)
            if decision.category_id
            else None
        ),
        team=Team.objects.get(pk=decision.team_id) if decision.team_id else None,
        assignee=named.get(decision.assignee_id) or _active_staff(decision.assignee_id),
        rules=dict(decision.by_rule),
    )


def _named_staff(organisation: Organisation | None) -> dict[int | None, User]:
    """The organisation's expert and account manager, while they are active staff."""
    if organisation is None or not (organisation.expert_id or organisation.account_manager_id):
        return {}
    wanted = {
        pk for pk in (organisation.expert_id, organisation.account_manager_id) if pk is not None
    }
    return {user.pk: user for user in User.objects.filter(pk__in=wanted) if user.is_agent}


def _active_staff(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    return user if user is not None and user.is_agent else None
