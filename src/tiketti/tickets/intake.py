"""The one intake path: every channel hands its request here.

Portal form, API, e-mail, widget, phone log and third-party form all build an
`IntakeRequest` and call `submit_request`. It decides, in order:

1. whether a machine wrote it (auto-reply, bounce, loop, list): dropped, never answered;
2. whether it was seen before (the same Message-ID delivered twice): a duplicate;
3. whether it continues a ticket (the channel says so, or for mail: its In-Reply-To /
   References, a ticket number in the subject or the plus address), and whether the sender
   may write to that ticket;
4. who the requester is and whether they may file;
5. then it creates the ticket or adds the message; notifications follow from the events.

Refusals raise `IntakeRefused` with a stable code: an interactive channel shows the
message, the mail channel holds the message for staff review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from itertools import batched

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiketti.accounts.models import EmailDomain, Team, User, normalize_email
from tiketti.contracts.priority import charge_priority
from tiketti.contracts.services import contract_in_force
from tiketti.fulltext import guess_language
from tiketti.personal_data import find_personal_identity_codes

from . import services, triage
from .attachments import IncomingFile
from .errors import IntakeRefused, TicketError
from .fields import Answer, clean_answers
from .models import Category, Message, ThreadId, Ticket
from .routing import Routed, route


@dataclass(frozen=True)
class IntakeRequest:
    """A request as any channel received it, before Tiketti decided anything."""

    channel: str
    subject: str
    # The whole text, as written (a forwarded mail's forwarded part included).
    body_text: str
    # Who is asking: a logged-in/API user, or just an address (mail, phone log, staff API).
    requester: User | None = None
    requester_email: str = ""
    requester_name: str = ""
    # Staff member entering the request for someone else (phone log, staff API token).
    submitted_by: User | None = None
    body_html: str = ""
    category_slug: str = ""
    priority: str = ""
    cc_emails: Sequence[str] = ()
    # People outside the organisation the channel has vouched for, who follow the new
    # ticket as cc contacts (an agency its customer confirmed: `portal.public_requests`).
    following: Sequence[User] = ()
    files: Sequence[IncomingFile] = ()
    # Mail: names of attachments too large (or too many) to attach; the original keeps them.
    left_out_files: Sequence[str] = ()
    # Set when the channel already knows which ticket this continues (a reply form).
    ticket: Ticket | None = None
    language: str = ""
    # Mail: the text without its quoted history. Stored instead of `body_text` only when the
    # request continues an existing ticket, which holds that history already; a new ticket
    # keeps the whole text (a forwarded mail is all quote and all content).
    reply_text: str = ""
    # Mail: identifiers for threading and duplicate detection.
    message_id: str = ""
    references: Sequence[str] = ()
    ticket_numbers: Sequence[str] = ()
    # Mail: why a machine wrote this ("auto-reply", "bounce", "loop", …), or "".
    automatic: str = ""
    # Mail: the sender asked not to be auto-answered (X-Auto-Response-Suppress).
    may_acknowledge: bool = True
    # A main user asked for a paid-priority ticket (and confirmed the price).
    paid_priority: bool = False
    # Mail: where it arrived decides routing when no category is given.
    team: Team | None = None
    category: Category | None = None
    # Mail: the mailbox it arrived at (routing rules may name mailboxes).
    mailbox_id: int | None = None
    # Site down or under attack (portal checkbox, API `acute`, mail subject words).
    acute: bool = False
    # Answers to the category's questions by field name (`fields.clean_answers` checks
    # them), and the files sent for its file fields.
    fields: Mapping[str, object] = field(default_factory=dict)
    field_files: Mapping[str, Sequence[IncomingFile]] = field(default_factory=dict)
    # How much the problem blocks and how soon help is needed: the priority follows.
    impact: str = ""
    urgency: str = ""


class Outcome(StrEnum):
    CREATED = "created"
    HELD = "held"  # a ticket staff must accept first (an ordinary user's request)
    APPENDED = "appended"
    DUPLICATE = "duplicate"
    DROPPED = "dropped"


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    ticket: Ticket | None = None
    message: Message | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    # The stored text holds an identity code and the ticket was not flagged before.
    personal_data_first_found: bool = False

    @property
    def created_ticket(self) -> Ticket:
        """The ticket, for channels where a request always becomes one (or raises)."""
        assert self.ticket is not None, self.outcome
        return self.ticket


def submit_request(request: IntakeRequest, batch: BatchThreads | None = None) -> IntakeResult:
    """Decide what a request becomes, and make it so. Raises a TicketError subclass with
    a translated message and a stable code when it is refused. `batch`: what a batch of
    requests submitted in one transaction refers to, read at once."""
    if request.automatic:
        return IntakeResult(Outcome.DROPPED, reason=request.automatic)
    known = batch.lookup(request) if batch is not None else None
    if known is None:
        known = _known_thread_ids(request)
    seen = request.message_id and request.message_id[:250] in known
    duplicate = _already_received(request.message_id) if seen else None
    if duplicate is not None:
        return IntakeResult(Outcome.DUPLICATE, duplicate.ticket, duplicate, "duplicate")
    ticket = request.ticket or find_thread(request, known, batch)
    if ticket is not None and not (ticket.is_closed and request.ticket is None):
        return _flag_personal_data(_append(ticket, request))
    requester = _resolve_requester(request)
    check_may_file(requester, request)
    # Staff entering a request (a phone call, a staff token) have accepted it by doing so.
    entered_by_staff = request.submitted_by is not None and request.submitted_by.is_agent
    held_reason = "" if entered_by_staff else _held_reason(requester)
    return _flag_personal_data(_create(requester, request, held_reason=held_reason))


def _flag_personal_data(result: IntakeResult) -> IntakeResult:
    """Identity codes in the text as stored flag the ticket, whichever channel brought
    them (the desk shows the flag and offers to mask them). The result says whether this
    is the first time, so the mail channel can ask the sender to use the portal."""
    ticket, message = result.ticket, result.message
    if ticket is None or message is None or not find_personal_identity_codes(message.body_text):
        return result
    first_time = ticket.personal_data_found_at is None
    found_at = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(personal_data_found_at=found_at)
    ticket.personal_data_found_at = found_at
    return replace(result, personal_data_first_found=first_time)


def _known_thread_ids(request: IntakeRequest) -> dict[str, ThreadId]:
    """Which of the request's own and referenced Message-IDs we have seen, in one query:
    every message a ticket received or sent registers its Message-ID (`ThreadId`)."""
    wanted = _thread_keys(request)
    if not wanted:
        return {}
    found = ThreadId.objects.filter(message_id__in=wanted)
    if request.references:  # probably a reply: read its ticket in the same query
        found = found.select_related("ticket")
    return {thread.message_id: thread for thread in found}


def _thread_keys(request: IntakeRequest) -> set[str]:
    return {i[:250] for i in (request.message_id, *request.references) if i}


class BatchThreads:
    """What a batch of requests submitted in one transaction refers to, read at once
    instead of once per request: the Message-IDs it names (`ThreadId`) and the tickets
    those and its ticket numbers lead to.

    Only where the database admits one writer at a time (SQLite; see
    `services.one_writer_at_a_time`): then nobody else changes a ticket or adds a
    ThreadId before the batch commits. So:
    - an ID not found is not ours, unless a request earlier in the batch registered it:
      such a request is looked up again (`lookup` returns None);
    - a ticket read at the start is as it is until a request of the batch gets it, so
      each is handed out once; asked for again (two replies to one ticket), it is read
      again, as it is then.
    """

    def __init__(self, message_ids: Iterable[str], ticket_numbers: Iterable[str] = ()) -> None:
        wanted = {i[:250] for i in message_ids if i}
        self._found: dict[str, tuple[int, int, datetime]] = {}
        for some in batched(sorted(wanted), 500):  # well within any database's limit
            rows = ThreadId.objects.filter(message_id__in=some)
            for pk, message_id, ticket_id, created_at in rows.values_list(
                "pk", "message_id", "ticket_id", "created_at"
            ):
                self._found[message_id] = (pk, ticket_id, created_at)
        self._submitted: set[str] = set()
        ticket_ids = {ticket_id for _, ticket_id, _ in self._found.values()}
        numbers = {number.upper() for number in ticket_numbers}
        self._tickets: dict[int, Ticket] = {}
        self._numbered: dict[str, int] = {}
        for some_ids, some_numbers in _in_pairs(sorted(ticket_ids), sorted(numbers), 500):
            found = Ticket.objects.filter(Q(pk__in=some_ids) | Q(number__in=some_numbers))
            for ticket in found:
                self._tickets[ticket.pk] = ticket
                self._numbered[ticket.number] = ticket.pk

    @classmethod
    def applies(cls) -> bool:
        return services.one_writer_at_a_time()

    def lookup(self, request: IntakeRequest) -> dict[str, ThreadId] | None:
        wanted = _thread_keys(request)
        stale = not wanted.isdisjoint(self._submitted)
        self._submitted.add(request.message_id[:250])
        if stale:
            return None
        return {
            key: ThreadId(pk=pk, ticket_id=ticket_id, message_id=key, created_at=created_at)
            for key in wanted
            if key in self._found
            for pk, ticket_id, created_at in [self._found[key]]
        }

    def ticket(self, pk: int) -> Ticket:
        """The ticket, as read at the start if no request has had it yet."""
        return self._tickets.pop(pk, None) or Ticket.objects.get(pk=pk)

    def numbered(self, numbers: Sequence[str]) -> Ticket | None:
        """The ticket these numbers lead to, as `find_thread` reads it. Only one number
        is answered from what was read at the start: of several, the query picks."""
        distinct = set(numbers)
        if len(distinct) == 1 and (number := distinct.pop()) in self._numbered:
            return self.ticket(self._numbered[number])
        found = _first_numbered(numbers)
        if found is not None:
            self._tickets.pop(found.pk, None)  # handed out now: the copy read at the start is not
        return found


def _in_pairs[A, B](
    first: list[A], second: list[B], size: int
) -> Iterable[tuple[Sequence[A], Sequence[B]]]:
    """Both lists in chunks of `size`, side by side (an empty chunk where one has run out)."""
    for start in range(0, max(len(first), len(second)), size):
        yield first[start : start + size], second[start : start + size]


def _already_received(message_id: str) -> Message | None:
    if not message_id:
        return None
    return Message.objects.select_related("ticket").filter(message_id=message_id).first()


def find_thread(
    request: IntakeRequest, known: dict[str, ThreadId], batch: BatchThreads | None = None
) -> Ticket | None:
    """The ticket a message continues: by the Message-IDs it answers (`known`: those we
    have seen), else by a ticket number we gave out (subject, plus address). A merged
    ticket's conversation goes on in the ticket it was merged into."""
    found = _thread_of(request, known, batch)
    return found.survivor() if found is not None else None


def _thread_of(
    request: IntakeRequest, known: dict[str, ThreadId], batch: BatchThreads | None
) -> Ticket | None:
    answered = [known[i] for i in {r[:250] for r in request.references} if i in known]
    if answered:
        latest = max(answered, key=lambda thread: (thread.created_at, thread.pk))
        return batch.ticket(latest.ticket_id) if batch else latest.ticket
    numbers = our_ticket_numbers(request.ticket_numbers)
    if numbers:
        return batch.numbered(numbers) if batch else _first_numbered(numbers)
    return None


def _first_numbered(numbers: Sequence[str]) -> Ticket | None:
    """Of the tickets with these numbers, the one updated last (the model's order)."""
    return Ticket.objects.filter(number__in=numbers).first()


def our_ticket_numbers(numbers: Iterable[str]) -> list[str]:
    """The numbers that are ours (with our prefix), as stored: upper case."""
    prefix = f"{settings.TIKETTI_TICKET_PREFIX}-"
    return [n.upper() for n in numbers if n.upper().startswith(prefix)]


def _append(ticket: Ticket, request: IntakeRequest) -> IntakeResult:
    author = request.requester or _known_sender(request)
    if request.ticket is None:
        check_may_write_to(ticket, author)
    assert author is not None
    # A reply's quoted history is in the thread already: keep its new part (the HTML
    # holds the whole quote, so it goes; the stored original e-mail keeps everything).
    shortened = bool(request.reply_text) and request.reply_text != request.body_text.strip()
    message = services.post_message(
        ticket=ticket,
        author=author,
        body_text=_stored_body(request, author, request.reply_text or request.body_text),
        body_html="" if shortened else request.body_html,
        quote_removed=shortened,
        channel=request.channel,
        files=request.files,
        message_id=request.message_id,
        # Found by this call (not handed in by the channel) inside a transaction the
        # caller opened: it is the ticket as this transaction sees it.
        ticket_is_current=request.ticket is None and transaction.get_connection().in_atomic_block,
    )
    return IntakeResult(Outcome.APPENDED, message.ticket, message)


def _held_reason(requester: User) -> str:
    """Where only main users may file, an ordinary user's request waits for staff."""
    organisation = requester.organisation
    if organisation is None or requester.is_main_user:
        return ""
    if organisation.filing_policy == organisation.FilingPolicy.ALL_CONTACTS:
        return ""
    return "not_main_user"


def _create(requester: User, request: IntakeRequest, held_reason: str = "") -> IntakeResult:
    category = request.category or _category(request.category_slug)
    routed = route(
        category=category,
        organisation=requester.organisation,
        mailbox_id=request.mailbox_id,
        language=requester.language,
        text=f"{request.subject}\n{request.body_text}",
    )
    if request.paid_priority and not requester.is_main_user:
        raise IntakeRefused(
            _("Only main users of a customer organisation can file priority tickets."),
            code="priority_not_allowed",
        )
    priority = Ticket.Priority.URGENT if request.acute else _priority(request)
    # Answers are checked against the category the requester chose: a mail given its
    # category by a routing rule has none, and staff fill them in later.
    answers = _answers(request, category)
    out_of_scope = category is not None and category.is_out_of_scope and category.scope_answer
    # With paid priority or an out-of-scope answer: all of it, or nothing. Otherwise
    # open_ticket is atomic on its own and a savepoint around it would buy nothing.
    atomic = request.paid_priority or out_of_scope
    with transaction.atomic() if atomic else nullcontext():
        ticket, message = _open(
            requester,
            request,
            category,
            held_reason,
            routed=routed,
            priority=priority,
            answers=answers,
            acknowledge=request.may_acknowledge and not held_reason and not out_of_scope,
        )
        if request.paid_priority:
            charge_priority(ticket=ticket, confirmed_by=requester)
        if out_of_scope:
            assert category is not None and category.scope_answer is not None
            ticket = triage.close_out_of_scope(
                ticket=ticket, actor=None, answer=category.scope_answer
            )
            return IntakeResult(Outcome.CREATED, ticket, message, "out_of_scope")
    outcome = Outcome.HELD if held_reason else Outcome.CREATED
    return IntakeResult(outcome, ticket, message, held_reason)


# Channels whose form asks the category's questions: there, a required one must be
# answered. A mail cannot be sent back to be completed: staff fill in its answers.
ASKING_CHANNELS = frozenset(
    {Ticket.Channel.PORTAL, Ticket.Channel.API, Ticket.Channel.PHONE, Ticket.Channel.WIDGET}
)


def _answers(request: IntakeRequest, category: Category | None) -> dict[str, Answer]:
    if category is None and not request.fields and not request.field_files:
        return {}
    fields = list(category.form_fields.all()) if category else []
    return clean_answers(
        fields,
        request.fields,
        request.field_files,
        attached=[incoming.name for incoming in request.files],
        require=request.channel in ASKING_CHANNELS,
        require_files=request.channel != Ticket.Channel.PHONE,
    )


def _priority(request: IntakeRequest) -> str:
    """Staff may set the priority; a customer says how much it blocks and how soon
    (the matrix decides), or buys a priority ticket (`paid_priority`)."""
    if request.priority:
        if request.submitted_by is None or not request.submitted_by.is_agent:
            raise IntakeRefused(
                _(
                    "Customers cannot set the priority. Say how much the problem blocks "
                    "your work and how soon you need help (impact and urgency) instead."
                ),
                code="priority_staff_only",
            )
        triage.check_impact_and_urgency(request.impact, request.urgency)
        return request.priority
    return triage.priority_for(request.impact, request.urgency)


def _open(
    requester: User,
    request: IntakeRequest,
    category: Category | None,
    held_reason: str,
    *,
    routed: Routed,
    priority: str,
    answers: dict[str, Answer],
    acknowledge: bool,
) -> tuple[Ticket, Message]:
    field_files = [incoming for files in request.field_files.values() for incoming in files]
    return services.open_ticket(
        requester=requester,
        subject=request.subject,
        body_text=_stored_body(request, requester, request.body_text),
        body_html=request.body_html,
        channel=request.channel,
        category=category or routed.category,
        team=request.team,
        routed=routed,
        is_acute=request.acute,
        priority=priority,
        cc=[*_cc_contacts(requester, request.cc_emails), *request.following],
        files=[*request.files, *field_files],
        actor=request.submitted_by or requester,
        message_id=request.message_id,
        acknowledge=acknowledge,
        held_reason=held_reason,
        is_paid_priority=request.paid_priority,
        impact=request.impact,
        urgency=request.urgency,
        field_answers=dict(answers),
    )


def _stored_body(request: IntakeRequest, writer: User, text: str) -> str:
    """The message as stored (`text`: the request's whole text, or its reply part): a
    placeholder for an empty one and a note for each file left out, in the writer's
    language (the channel may run in another: the MTA pipe's is English)."""
    if text and not request.left_out_files:
        return text
    with translation.override(writer.language or settings.LANGUAGE_CODE):
        body = text or _("(empty message)")
        notes = [
            _(
                "[%(name)s: not attached (too large, or too many attachments); the support "
                "team has it in the original e-mail]"
            )
            % {"name": name}
            for name in request.left_out_files
        ]
    return body.rstrip() + "\n\n" + "\n".join(notes) if notes else body


def _known_sender(request: IntakeRequest) -> User | None:
    email = normalize_email(request.requester_email)
    return User.objects.get_by_email(email) if email else None


def check_may_write_to(ticket: Ticket, sender: User | None) -> None:
    """A message that names a ticket must come from someone in its conversation: the
    requester, a cc'd contact or a colleague in the same organisation. Anyone else (a
    forged number, a stranger) is held for staff review."""
    allowed = (
        sender is not None
        and sender.is_active
        and not sender.is_agent
        and (
            sender.pk == ticket.requester_id
            or (
                sender.organisation_id is not None
                and sender.organisation_id == ticket.organisation_id
            )
            or ticket.cc.filter(pk=sender.pk).exists()
        )
    )
    if not allowed:
        raise IntakeRefused(
            _("The sender is not part of ticket %(number)s.") % {"number": ticket.number},
            code="sender_not_on_ticket",
        )


def _resolve_requester(request: IntakeRequest) -> User:
    if request.requester is not None:
        return request.requester
    email = normalize_email(request.requester_email)
    if not email:
        raise IntakeRefused(_("Say who the request is from."), code="requester_missing")
    existing = User.objects.get_by_email(email)
    if existing is not None:
        return existing
    domain = (
        EmailDomain.objects.select_related("organisation")
        .filter(domain=email.rpartition("@")[2])
        .first()
    )
    if domain is None:
        raise IntakeRefused(
            _("%(email)s is not a contact of any customer organisation.") % {"email": email},
            code="unknown_requester",
        )
    with transaction.atomic():
        return User.objects.create_user(
            email,
            display_name=request.requester_name.strip()[:200],
            organisation=domain.organisation,
            language=request.language
            or guess_language(f"{request.subject}\n{request.body_text}")
            or domain.organisation.language,
        )


def check_may_file(requester: User, request: IntakeRequest) -> None:
    """Only active customer contacts file requests; staff may enter them on their behalf."""
    if not requester.is_active:
        raise IntakeRefused(_("This account is disabled."), code="requester_inactive")
    if requester.is_agent:
        raise IntakeRefused(
            _("Staff cannot be the requester. Enter the customer's e-mail address."),
            code="requester_is_staff",
        )
    if contract_in_force(requester.organisation) is None:
        raise IntakeRefused(
            _(
                "Support requests are for customers with a support contract. "
                "Our sales team is glad to help: %(sales)s"
            )
            % {"sales": settings.TIKETTI_SALES_EMAIL},
            code="not_a_customer",
        )


def _category(slug: str) -> Category | None:
    if not slug:
        return None
    category = (
        Category.objects.select_related("team", "scope_answer")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if category is None:
        choices = ", ".join(Category.objects.filter(is_active=True).values_list("slug", flat=True))
        raise TicketError(
            _("“%(slug)s” is not a category. Use one of: %(choices)s.")
            % {"slug": slug, "choices": choices},
            code="unknown_category",
        )
    return category


def _cc_contacts(requester: User, emails: Sequence[str]) -> list[User]:
    """Colleagues in the requester's organisation who are to follow the ticket.

    Addresses outside the organisation are ignored: a requester cannot make us mail
    strangers.
    """
    wanted = {normalize_email(e) for e in emails if e.strip()}
    if not wanted or requester.organisation_id is None:
        return []
    return list(User.objects.filter(email__in=wanted, organisation_id=requester.organisation_id))
