"""The one intake path: every channel hands its request here.

Portal form, API, e-mail, widget, phone log and third-party form all build an
`IntakeRequest` and call `submit_request`. It decides, in order: who the requester is and
whether they may file; whether this continues an existing ticket; then it creates or
updates the ticket (routing, priority) and notifications follow from the ticket events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from tiketti.accounts.models import EmailDomain, User, normalize_email

from . import services
from .attachments import IncomingFile
from .errors import IntakeRefused, TicketError
from .models import Category, Message, Ticket


@dataclass(frozen=True)
class IntakeRequest:
    """A request as any channel received it, before Tiketti decided anything."""

    channel: str
    subject: str
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
    files: Sequence[IncomingFile] = ()
    message_id: str = ""
    # Set when the channel already knows which ticket this continues (a reply form).
    ticket: Ticket | None = None
    language: str = ""


class Outcome(StrEnum):
    CREATED = "created"
    APPENDED = "appended"


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    ticket: Ticket
    message: Message | None = None
    notes: list[str] = field(default_factory=list)


def submit_request(request: IntakeRequest) -> IntakeResult:
    """Decide what a request becomes, and make it so. Raises a TicketError subclass with
    a translated message and a stable code when it is refused."""
    requester = _resolve_requester(request)
    check_may_file(requester, request)
    if request.ticket is not None:
        message = services.post_message(
            ticket=request.ticket,
            author=requester,
            body_text=request.body_text,
            body_html=request.body_html,
            channel=request.channel,
            files=request.files,
            message_id=request.message_id,
        )
        return IntakeResult(Outcome.APPENDED, message.ticket, message)
    ticket = services.open_ticket(
        requester=requester,
        subject=request.subject,
        body_text=request.body_text,
        body_html=request.body_html,
        channel=request.channel,
        category=_category(request.category_slug),
        priority=request.priority or Ticket.Priority.NORMAL,
        cc=_cc_contacts(requester, request.cc_emails),
        files=request.files,
        actor=request.submitted_by or requester,
        message_id=request.message_id,
    )
    return IntakeResult(Outcome.CREATED, ticket, ticket.messages.first())


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
            language=request.language or domain.organisation.language,
        )


def check_may_file(requester: User, request: IntakeRequest) -> None:
    """Only active customer contacts file requests; staff may enter them on their behalf."""
    if not requester.is_active:
        raise IntakeRefused(_("This account is disabled."), code="requester_inactive")
    if requester.is_agent and request.ticket is None:
        raise IntakeRefused(
            _("Staff cannot be the requester. Enter the customer's e-mail address."),
            code="requester_is_staff",
        )
    if request.ticket is None and requester.organisation_id is None:
        raise IntakeRefused(
            _("Only contacts of customer organisations can file requests."),
            code="not_a_customer",
        )


def _category(slug: str) -> Category | None:
    if not slug:
        return None
    category = Category.objects.select_related("team").filter(slug=slug, is_active=True).first()
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
