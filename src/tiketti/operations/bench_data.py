"""`tiketti bench-data`: fill the database with many realistic tickets for benchmarks.

Organisations, contacts and staff are made once (reused by a later run); tickets, their
messages and their search documents are then generated in chunks, each chunk built in
memory and written with `bulk_create` in one transaction: a constant number of queries
per chunk, no signals, flat memory. The ticket numbers are reserved from the sequence up
front, so tickets made afterwards get fresh numbers. Generation is seeded: the same seed
gives the same tickets. Bench people have addresses under `BENCH_DOMAIN` (`.invalid`:
nothing is ever sent to them), which is how a database with real tickets is told apart.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tiketti.accounts.models import Organisation, Team, User
from tiketti.tickets.models import (
    Category,
    Impact,
    Message,
    Ticket,
    TicketSearchDocument,
    TicketSequence,
    Urgency,
)
from tiketti.tickets.search import document_terms

from . import bench_texts as texts

BENCH_DOMAIN = "bench.invalid"
LANGUAGE_MIX = (("fi", 45), ("pl", 30), ("en", 25))
STATUS_MIX = (
    (Ticket.Status.CLOSED, 55),
    (Ticket.Status.SOLVED, 22),
    (Ticket.Status.OPEN, 9),
    (Ticket.Status.WAITING, 7),
    (Ticket.Status.NEW, 5),
    (Ticket.Status.WAITING_APPROVAL, 2),
)
PRIORITY_MIX = (
    (Ticket.Priority.LOW, 20),
    (Ticket.Priority.NORMAL, 58),
    (Ticket.Priority.HIGH, 16),
    (Ticket.Priority.URGENT, 6),
)
CHANNEL_MIX = (
    (Ticket.Channel.EMAIL, 55),
    (Ticket.Channel.PORTAL, 28),
    (Ticket.Channel.PHONE, 7),
    (Ticket.Channel.API, 5),
    (Ticket.Channel.WIDGET, 3),
    (Ticket.Channel.THIRD_PARTY, 2),
)
# Hours to the first response and to resolution, by priority (a typical contract).
SLA_HOURS: dict[str, tuple[int, int]] = {
    Ticket.Priority.URGENT: (1, 8),
    Ticket.Priority.HIGH: (4, 24),
    Ticket.Priority.NORMAL: (8, 72),
    Ticket.Priority.LOW: (24, 240),
}
IMPACT_URGENCY: dict[str, tuple[str, str]] = {
    Ticket.Priority.URGENT: (Impact.BLOCKS_ALL, Urgency.HIGH),
    Ticket.Priority.HIGH: (Impact.BLOCKS_PART, Urgency.HIGH),
    Ticket.Priority.NORMAL: (Impact.BLOCKS_PART, Urgency.MEDIUM),
    Ticket.Priority.LOW: (Impact.NO_BLOCK, Urgency.LOW),
}
OPEN_STATUSES = frozenset(
    {Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING, Ticket.Status.WAITING_APPROVAL}
)
YEARS_OF_HISTORY = 4
STAFF_COUNT = 40


class BenchDataRefused(Exception):
    """The database holds tickets that are not bench data."""


def _picker(mix: tuple[tuple[str, int], ...]) -> Callable[[random.Random], str]:
    values = [value for value, _weight in mix]
    cumulative = list(accumulate(weight for _value, weight in mix))
    return lambda rng: rng.choices(values, cum_weights=cumulative)[0]


pick_language = _picker(LANGUAGE_MIX)
pick_status = _picker(STATUS_MIX)
pick_priority = _picker(PRIORITY_MIX)
pick_channel = _picker(CHANNEL_MIX)


class Vocabulary:
    """One language's words, drawn Zipf-like: the first words often, the last seldom."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.things = texts.words(language, texts.THINGS)
        self.problems = texts.phrases(language, texts.PROBLEMS)
        self._weights = list(accumulate(1 / (rank + 1) for rank in range(len(self.things))))

    def thing(self, rng: random.Random) -> str:
        return rng.choices(self.things, cum_weights=self._weights)[0]

    def fill(self, template: str, rng: random.Random, name: str = "") -> str:
        thing, other = self.thing(rng), self.thing(rng)
        if other == thing:  # "the invoice and the invoice": take the next word instead
            other = self.things[(self.things.index(thing) + 1) % len(self.things)]
        return template.format(
            thing=thing,
            other=other,
            problem=rng.choice(self.problems),
            name=name,
        )


VOCABULARIES = {language: Vocabulary(language) for language, _weight in LANGUAGE_MIX}


@lru_cache(maxsize=200_000)
def _terms(sentence: str, language: str) -> str:
    # Terms are made word by word (no vocabulary: `search.document_terms`), so a text's
    # terms are its sentences' terms joined: each distinct sentence is stemmed once.
    return document_terms(sentence, language)


@dataclass
class Person:
    pk: int
    name: str
    language: str
    organisation_id: int | None


@dataclass
class References:
    contacts: dict[str, list[Person]]  # by language
    staff: list[Person]
    categories: Sequence[tuple[int, int | None]]  # category id, its team id


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def has_other_tickets() -> bool:
    return Ticket.objects.exclude(requester__email__endswith=f".{BENCH_DOMAIN}").exists()


def _organisation_count(tickets: int) -> int:
    return min(2000, max(6, tickets // 500))


def _contact_count(tickets: int) -> int:
    return min(100_000, max(30, tickets // 10))


def make_references(tickets: int, seed: int) -> References:
    """Teams, categories, staff, organisations and contacts (kept from an earlier run)."""
    rng = random.Random(f"{seed}:people")  # noqa: S311 - test data, not secrets
    teams = list(Team.objects.order_by("pk"))
    if not teams:
        for name, fi, pl in texts.TEAMS:
            translations = {k: v for k, v in (("fi", fi), ("pl", pl)) if v}
            teams.append(Team.objects.create(name=name, name_translations=translations))
    if not Category.objects.exists():
        Category.objects.bulk_create(
            Category(slug=slug, name_en=en, name_fi=fi, name_pl=pl, team=teams[i % len(teams)])
            for i, (slug, en, fi, pl) in enumerate(texts.CATEGORIES)
        )
    categories = list(
        Category.objects.filter(is_out_of_scope=False).order_by("pk").values_list("pk", "team_id")
    )
    staff = []
    for i in range(STAFF_COUNT):
        language = pick_language(rng)
        first = rng.choice(texts.FIRST_NAMES[language].split())
        last = rng.choice(texts.LAST_NAMES[language].split())
        staff.append(
            User(
                email=f"{_ascii(first)}.{_ascii(last)}.{i}@staff.{BENCH_DOMAIN}",
                display_name=f"{first} {last}",
                language=language,
                staff_role=User.StaffRole.AGENT,
                password="!",  # noqa: S106 - an unusable password: bench staff never log in
            )
        )
    User.objects.bulk_create(staff, ignore_conflicts=True, batch_size=1000)
    organisations = []
    for i in range(_organisation_count(tickets)):
        language = pick_language(rng)
        word = rng.choice(texts.ORGANISATION_WORDS[language].split())
        kind = rng.choice(texts.ORGANISATION_KINDS[language])
        organisations.append(
            Organisation(
                name=f"{word} {i} {kind}",
                language=language,
                filing_policy=Organisation.FilingPolicy.ALL_CONTACTS,
            )
        )
    Organisation.objects.bulk_create(organisations, ignore_conflicts=True, batch_size=1000)
    names = [o.name for o in organisations]
    saved = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    contacts = []
    for i in range(_contact_count(tickets)):
        organisation = saved[organisations[i % len(organisations)].name]
        language = organisation.language if rng.random() < 0.9 else pick_language(rng)
        first = rng.choice(texts.FIRST_NAMES[language].split())
        last = rng.choice(texts.LAST_NAMES[language].split())
        contacts.append(
            User(
                email=f"{_ascii(first)}.{_ascii(last)}.{i}@o{organisation.pk}.{BENCH_DOMAIN}",
                display_name=f"{first} {last}",
                language=language,
                organisation=organisation,
                customer_role=User.CustomerRole.MAIN_USER if i < len(organisations) else "user",
                password="!",  # noqa: S106 - as above
            )
        )
    User.objects.bulk_create(contacts, ignore_conflicts=True, batch_size=1000)
    return _load_references(categories, teams)


def _load_references(categories: Sequence[tuple[int, int | None]], teams: list[Team]) -> References:
    people = User.objects.filter(email__endswith=f".{BENCH_DOMAIN}").order_by("email")
    by_language: dict[str, list[Person]] = {language: [] for language, _w in LANGUAGE_MIX}
    staff: list[Person] = []
    for pk, name, language, organisation_id, role in people.values_list(
        "pk", "display_name", "language", "organisation_id", "staff_role"
    ):
        person = Person(pk, name, language, organisation_id)
        (staff if role else by_language[language]).append(person)
    if not categories:
        categories = [(0, teams[0].pk)]
    return References(by_language, staff, categories)


@dataclass
class Chunk:
    tickets: list[Ticket]
    messages: list[list[Message]]  # per ticket
    terms: list[str]  # per ticket


def generate_chunk(
    refs: References,
    *,
    seed: int,
    index: int,
    numbers: range,
    messages_per_ticket: int,
    now: datetime.datetime,
) -> Chunk:
    """The tickets numbered `numbers`, built in memory (chunk `index` of a seeded run)."""
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 - test data, not secrets
    prefix = settings.TIKETTI_TICKET_PREFIX
    span = YEARS_OF_HISTORY * 365 * 86400
    tickets, messages, terms = [], [], []
    for number in numbers:
        language = pick_language(rng)
        vocabulary = VOCABULARIES[language]
        requester = rng.choice(refs.contacts[language] or refs.contacts["en"])
        agent = rng.choice(refs.staff)
        status = pick_status(rng)
        priority = pick_priority(rng)
        channel = pick_channel(rng)
        is_open = status in OPEN_STATUSES
        age = rng.randint(600, 30 * 86400) if is_open else rng.randint(30 * 86400, span)
        created = now - datetime.timedelta(seconds=age)
        category_id, team_id = rng.choice(refs.categories)
        respond_hours, resolve_hours = SLA_HOURS[priority]
        impact, urgency = IMPACT_URGENCY[priority] if rng.random() < 0.4 else ("", "")
        subject = vocabulary.fill(rng.choice(texts.SUBJECTS[language]), rng)
        subject = subject[0].upper() + subject[1:]
        ticket = Ticket(
            number=f"{prefix}-{number}",
            subject=subject,
            requester_id=requester.pk,
            organisation_id=requester.organisation_id,
            category_id=category_id or None,
            team_id=team_id,
            channel=channel,
            status=status,
            assignee_id=None if status == Ticket.Status.NEW else agent.pk,
            impact=impact,
            urgency=urgency,
            created_at=created,
            sla_started_at=created,
            first_response_due_at=created + datetime.timedelta(hours=respond_hours),
            resolution_due_at=created + datetime.timedelta(hours=resolve_hours),
        )
        ticket.set_priority(priority)
        thread, moment = [], created
        sentences: list[str] = []
        for position in range(messages_per_ticket):
            from_customer = position % 2 == 0
            internal = not from_customer and rng.random() < 0.1
            if from_customer:
                author, table = requester, texts.QUESTIONS[language]
            else:
                author = agent
                table = texts.NOTES[language] if internal else texts.REPLIES[language]
            # A few of the lines, in their order (a greeting first, the signature last).
            lines = sorted(
                rng.sample(range(len(table) - 1), k=min(len(table) - 1, rng.randint(2, 4)))
            )
            picked = [table[line] for line in lines]
            if not internal:
                picked.append(table[-1])  # the signature
            body = [vocabulary.fill(line, rng, author.name) for line in picked]
            sentences.extend(body)
            pause = rng.randint(300, 2 * 86400 if is_open else 5 * 86400)
            moment = min(moment + datetime.timedelta(seconds=pause), now)
            thread.append(
                Message(
                    author_id=author.pk,
                    is_internal=internal,
                    body_text="\n\n".join(body),
                    channel=channel if from_customer else Ticket.Channel.PORTAL,
                    created_at=moment,
                )
            )
            if not from_customer and not internal and ticket.first_responded_at is None:
                ticket.first_responded_at = moment
        _set_outcome(ticket, status, moment, now, rng)
        tickets.append(ticket)
        messages.append(thread)
        terms.append(" ".join(filter(None, (_terms(s, language) for s in [subject, *sentences]))))
    return Chunk(tickets, messages, terms)


def _set_outcome(
    ticket: Ticket, status: str, last: datetime.datetime, now: datetime.datetime, rng: random.Random
) -> None:
    """SLA results, or running deadlines for a ticket still open."""
    assert ticket.first_response_due_at and ticket.resolution_due_at
    ticket.updated_at = last
    responded = ticket.first_responded_at
    if responded is not None:
        ticket.first_response_breached = responded > ticket.first_response_due_at
    if status in OPEN_STATUSES:
        if responded is None:
            due = ticket.first_response_due_at
            if due < now:
                ticket.first_response_breached = True
            else:
                ticket.first_response_warn_at = due - (due - ticket.created_at) / 5
        if status == Ticket.Status.WAITING:
            ticket.sla_paused_at = last
        elif ticket.resolution_due_at > now:
            due = ticket.resolution_due_at
            ticket.resolution_warn_at = due - (due - ticket.created_at) / 5
        else:
            ticket.resolution_breached = True
        return
    ticket.resolved_at = last
    ticket.resolution_breached = last > ticket.resolution_due_at
    if status == Ticket.Status.CLOSED:
        ticket.updated_at = last + datetime.timedelta(days=rng.randint(1, 7))


def reserve_numbers(count: int) -> range:
    """Take `count` consecutive numbers from the ticket sequence, in one transaction."""
    prefix = settings.TIKETTI_TICKET_PREFIX
    with transaction.atomic():
        TicketSequence.objects.get_or_create(prefix=prefix)
        sequence = TicketSequence.objects.select_for_update().get(prefix=prefix)
        first = sequence.last_value + 1
        TicketSequence.objects.filter(prefix=prefix).update(last_value=F("last_value") + count)
    return range(first, first + count)


def write_chunk(chunk: Chunk, batch_size: int) -> None:
    """One transaction: the tickets, then their messages and search documents."""
    with transaction.atomic():
        Ticket.objects.bulk_create(chunk.tickets, batch_size=batch_size)
        for ticket, thread in zip(chunk.tickets, chunk.messages, strict=True):
            for message in thread:
                message.ticket_id = ticket.pk
        Message.objects.bulk_create(
            [message for thread in chunk.messages for message in thread], batch_size=batch_size
        )
        TicketSearchDocument.objects.bulk_create(
            [
                TicketSearchDocument(ticket_id=ticket.pk, terms=terms)
                for ticket, terms in zip(chunk.tickets, chunk.terms, strict=True)
            ],
            batch_size=batch_size,
        )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    seconds: float


def generate(
    tickets: int,
    *,
    messages_per_ticket: int = 3,
    seed: int = 1,
    chunk_size: int = 2000,
    force: bool = False,
    now: datetime.datetime | None = None,
) -> Iterator[Progress]:
    """Make `tickets` tickets, yielding progress after each chunk."""
    if not force and has_other_tickets():
        raise BenchDataRefused
    started = time.perf_counter()
    # Anchored at midnight, so one seed gives the same tickets all day.
    now = now or timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    refs = make_references(tickets, seed)
    numbers = reserve_numbers(tickets)
    for index, offset in enumerate(range(0, tickets, chunk_size)):
        chunk = generate_chunk(
            refs,
            seed=seed,
            index=index,
            numbers=numbers[offset : offset + chunk_size],
            messages_per_ticket=messages_per_ticket,
            now=now,
        )
        write_chunk(chunk, batch_size=chunk_size * max(1, messages_per_ticket))
        done = min(tickets, offset + chunk_size)
        yield Progress(done, tickets, time.perf_counter() - started)
