"""Requests from visitors who are not signed in: the public form and agencies.

Both go through `tickets.intake.submit_request` once someone has proven they may file:

- Public form: the request waits (`PendingRequest`) until the visitor opens the link mailed
  to the address they gave, so nobody files in someone else's name. Then intake decides as
  for any channel: a contact allowed to file gets a ticket (and the usual acknowledgement),
  anyone else is pointed to sales, in their language.
- Agency form: the agency proves its address by the mailed link, as a visitor does; then
  the request waits until a main user of the customer (by the link mailed to each of
  them) or staff (admin) confirms the agency. The answer is remembered for the
  agency/customer pair (`AgencyApproval`): a confirmed agency files at once, a declined
  one is refused. The ticket is filed in the name of the main user who vouched for the
  agency, and the agency follows it as a cc contact (mail and portal, `tickets.access`).

Links are signed, expire after TIKETTI_PUBLIC_FORM_LINK_DAYS and work once (the request
is no longer waiting after it). At most TIKETTI_PUBLIC_FORM_LIMIT requests an hour come from
one client address or for one e-mail address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User, normalize_email
from tiketti.mail.services import Stranger, send_email
from tiketti.tickets.errors import IntakeRefused, TicketError
from tiketti.tickets.intake import IntakeRequest, IntakeResult, submit_request
from tiketti.tickets.models import Category, Ticket

from .models import AgencyApproval, PendingRequest

LIMIT_WINDOW = timedelta(hours=1)
_SALT = "tiketti.portal.public-requests"
# Intake's refusals that mean "not a customer of ours": the visitor is pointed to sales.
NOT_A_CUSTOMER = frozenset({"unknown_requester", "not_a_customer"})


class Throttled(Exception):
    """Too many requests from this client address or for this e-mail address."""


class BadLink(Exception):
    """A link that is forged, expired, or already used."""


@dataclass(frozen=True)
class PublicForm:
    name: str
    email: str
    organisation: str
    subject: str
    description: str
    category: Category | None
    language: str
    client_ip: str
    fields: Mapping[str, object]
    impact: str = ""
    urgency: str = ""


def client_digest(ip_address: str) -> str:
    return salted_hmac(_SALT, ip_address, algorithm="sha256").hexdigest()


def check_rate(*, email: str, ip_address: str) -> None:
    """Raise `Throttled` when this client or address sent the hourly limit already."""
    since = timezone.now() - LIMIT_WINDOW
    recent = PendingRequest.objects.filter(created_at__gte=since)
    limit = settings.TIKETTI_PUBLIC_FORM_LIMIT
    by_client = recent.filter(client_digest=client_digest(ip_address)).count()
    if by_client >= limit or recent.filter(email=normalize_email(email)).count() >= limit:
        raise Throttled


def _pending(form: PublicForm, kind: str, **extra: object) -> PendingRequest:
    check_rate(email=form.email, ip_address=form.client_ip)
    return PendingRequest.objects.create(
        kind=kind,
        name=form.name.strip()[:200],
        email=normalize_email(form.email),
        organisation_name=form.organisation.strip()[:200],
        subject=form.subject,
        description=form.description,
        category=form.category,
        field_answers=dict(form.fields),
        impact=form.impact,
        urgency=form.urgency,
        language=form.language,
        client_digest=client_digest(form.client_ip),
        **extra,
    )


# Links ------------------------------------------------------------------------------


def make_token(pending: PendingRequest, purpose: str, user: User | None = None) -> str:
    return signing.dumps(
        {"r": pending.pk, "p": purpose, "u": user.pk if user else None}, salt=_SALT
    )


def read_token(token: str, purpose: str) -> tuple[PendingRequest, User | None]:
    """The waiting request a link is for (and whom it was mailed to), or `BadLink`."""
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.TIKETTI_PUBLIC_FORM_LINK_DAYS)
        )
    except signing.BadSignature as error:
        raise BadLink from error
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("r"), int):
        raise BadLink
    pending = PendingRequest.objects.filter(pk=data["r"], status=PendingRequest.Status.WAITING)
    found = pending.select_related("customer", "category").first()
    if found is None:
        raise BadLink
    user = User.objects.filter(pk=data["u"], is_active=True).first() if data.get("u") else None
    return found, user


def _link(name: str, token: str) -> str:
    return settings.TIKETTI_BASE_URL + reverse(name, kwargs={"token": token})


# Public form --------------------------------------------------------------------------


def record_public_request(form: PublicForm) -> PendingRequest:
    """Keep the request and mail its confirm link to the address given. The same happens
    whether or not the address is a contact: the page tells a stranger nothing."""
    with transaction.atomic():
        pending = _pending(form, PendingRequest.Kind.PUBLIC)
        _mail_confirm_link(pending)
    return pending


def confirm_public_request(pending: PendingRequest) -> IntakeResult | None:
    """The visitor proved the address: intake decides. None when intake refused it (the
    request's `reason` says why: for NOT_A_CUSTOMER, point the visitor to sales)."""
    with transaction.atomic():
        locked = PendingRequest.objects.select_for_update().get(pk=pending.pk)
        if locked.status != PendingRequest.Status.WAITING or locked.kind != locked.Kind.PUBLIC:
            raise BadLink
        try:
            result = submit_request(
                IntakeRequest(
                    channel=Ticket.Channel.PORTAL,
                    requester_email=locked.email,
                    requester_name=locked.name,
                    subject=locked.subject,
                    body_text=_body(locked),
                    category=locked.category,
                    fields=locked.field_answers,
                    impact=locked.impact,
                    urgency=locked.urgency,
                    language=locked.language,
                )
            )
        except TicketError as error:
            _refused(pending, error)
            return None
        _filed(pending, result, decided_by=result.ticket.requester if result.ticket else None)
        return result


def _body(pending: PendingRequest) -> str:
    if not pending.organisation_name:
        return pending.description
    # What the visitor said about themselves: staff read it with the request.
    with_name = _("Organisation (as given on the form): %(organisation)s") % {
        "organisation": pending.organisation_name
    }
    return f"{pending.description}\n\n{with_name}"


def _refused(pending: PendingRequest, error: TicketError) -> None:
    PendingRequest.objects.filter(pk=pending.pk).update(
        status=PendingRequest.Status.REFUSED, reason=error.code[:60], decided_at=timezone.now()
    )
    pending.status, pending.reason = PendingRequest.Status.REFUSED, error.code


def _filed(pending: PendingRequest, result: IntakeResult, decided_by: User | None) -> None:
    now = timezone.now()
    PendingRequest.objects.filter(pk=pending.pk).update(
        status=PendingRequest.Status.FILED,
        ticket=result.ticket,
        decided_at=now,
        decided_by=decided_by,
        reason=result.reason,
    )
    pending.status, pending.ticket = PendingRequest.Status.FILED, result.ticket


# Agency form ----------------------------------------------------------------------------


def find_customer(name: str) -> Organisation | None:
    return Organisation.objects.filter(name__iexact=name.strip()).first()


def approval_for(email: str, organisation: Organisation) -> AgencyApproval | None:
    return AgencyApproval.objects.filter(
        agency_email=normalize_email(email), organisation=organisation
    ).first()


def record_agency_request(form: PublicForm, customer: Organisation) -> PendingRequest:
    """An agency's request for `customer`: refused at once when the customer declined the
    agency, otherwise kept while the agency proves its address by the mailed link
    (`confirm_agency_address`)."""
    approval = approval_for(form.email, customer)
    with transaction.atomic():
        pending = _pending(form, PendingRequest.Kind.AGENCY, customer=customer)
        if approval is not None and not approval.is_confirmed:
            _refused(pending, IntakeRefused("", code="agency_declined"))
            return pending
        _mail_confirm_link(pending)
    return pending


def _mail_confirm_link(pending: PendingRequest) -> None:
    send_email(
        template="public-request-confirm",
        recipient=Stranger(pending.email, pending.language, pending.name),
        context={
            "subject": pending.subject,
            "confirm_url": _link("public:confirm", make_token(pending, "file")),
            "days": settings.TIKETTI_PUBLIC_FORM_LINK_DAYS,
        },
        is_automatic=True,
    )


def confirm_agency_address(pending: PendingRequest) -> IntakeResult | None:
    """The agency proved its address: filed at once when the customer confirmed the agency
    before, otherwise held while each main user of the customer is asked (in their
    language) to confirm or decline it."""
    customer = pending.customer
    assert customer is not None
    with transaction.atomic():
        locked = PendingRequest.objects.select_for_update().get(pk=pending.pk)
        if locked.status != PendingRequest.Status.WAITING or locked.address_confirmed_at:
            raise BadLink
        PendingRequest.objects.filter(pk=pending.pk).update(address_confirmed_at=timezone.now())
        approval = approval_for(pending.email, customer)
        if approval is not None and not approval.is_confirmed:
            _refused(pending, IntakeRefused("", code="agency_declined"))
            return None
        if approval is not None:
            return _file_for_agency(pending, approval)
        for main_user in User.objects.main_users_of(customer.pk):
            send_email(
                template="agency-confirm",
                recipient=main_user,
                context={
                    "agency_name": pending.organisation_name,
                    "agency_email": pending.email,
                    "agency_person": pending.name,
                    "customer": customer.name,
                    "subject": pending.subject,
                    "description": pending.description,
                    "confirm_url": _link(
                        "public:agency-decide", make_token(pending, "agency", main_user)
                    ),
                    "days": settings.TIKETTI_PUBLIC_FORM_LINK_DAYS,
                },
            )
    return None


def may_decide_for(user: User | None, customer: Organisation) -> bool:
    """A main user of the customer, or staff, may confirm or decline an agency."""
    if user is None or not user.is_active:
        return False
    return user.is_agent or (user.is_main_user and user.organisation_id == customer.pk)


def decide_agency(pending: PendingRequest, *, actor: User, confirm: bool) -> IntakeResult | None:
    """Remember the customer's answer for the agency/customer pair; on confirmation the held
    request becomes a ticket. Later requests of the agency follow the same answer."""
    customer = pending.customer
    assert customer is not None
    if not may_decide_for(actor, customer):
        raise IntakeRefused(
            _("Only a main user of %(customer)s or support staff can decide this.")
            % {"customer": customer.name},
            code="not_main_user",
        )
    with transaction.atomic():
        locked = PendingRequest.objects.select_for_update().get(pk=pending.pk)
        if locked.status != PendingRequest.Status.WAITING or not locked.address_confirmed_at:
            raise BadLink
        vouched_by = actor if actor.is_main_user else _first_main_user(customer)
        approval, _created = AgencyApproval.objects.update_or_create(
            agency_email=pending.email,
            organisation=customer,
            defaults={
                "is_confirmed": confirm,
                "vouched_by": vouched_by,
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        if not confirm:
            PendingRequest.objects.filter(pk=pending.pk).update(
                status=PendingRequest.Status.DECLINED,
                reason="agency_declined",
                decided_by=actor,
                decided_at=timezone.now(),
            )
            pending.status = PendingRequest.Status.DECLINED
            return None
        return _file_for_agency(pending, approval, decided_by=actor)


def _first_main_user(customer: Organisation) -> User | None:
    return User.objects.main_users_of(customer.pk).order_by("pk").first()


def agency_user(pending: PendingRequest) -> User:
    """The agency's own account: no organisation of its own (it may act for several
    customers), so it sees only the tickets it is a cc contact of (`tickets.access`)."""
    existing = User.objects.get_by_email(pending.email)
    if existing is not None:
        return existing
    return User.objects.create_user(
        pending.email,
        display_name=(pending.name or pending.organisation_name)[:200],
        language=pending.language or settings.LANGUAGE_CODE,
    )


def _file_for_agency(
    pending: PendingRequest, approval: AgencyApproval, decided_by: User | None = None
) -> IntakeResult | None:
    vouched_by = approval.vouched_by
    if vouched_by is None or not vouched_by.is_main_user:
        vouched_by = _first_main_user(approval.organisation)
    if vouched_by is None:
        _refused(pending, IntakeRefused("", code="no_main_user"))
        return None
    agency = agency_user(pending)
    following = (
        [] if agency.is_agent or agency.organisation_id == vouched_by.organisation_id else [agency]
    )
    try:
        with transaction.atomic():
            result = submit_request(
                IntakeRequest(
                    channel=Ticket.Channel.THIRD_PARTY,
                    requester=vouched_by,
                    subject=pending.subject,
                    body_text=_agency_body(pending),
                    category=pending.category,
                    language=pending.language,
                    following=following,
                    impact=pending.impact,
                    urgency=pending.urgency,
                )
            )
    except TicketError as error:
        _refused(pending, error)
        return None
    _filed(pending, result, decided_by=decided_by)
    return result


def _agency_body(pending: PendingRequest) -> str:
    sent_by = _("Sent by %(person)s of %(agency)s <%(email)s>, acting for the customer.") % {
        "person": pending.name,
        "agency": pending.organisation_name,
        "email": pending.email,
    }
    return f"{pending.description}\n\n{sent_by}"
