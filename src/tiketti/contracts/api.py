"""Billing endpoints of API v1, mounted under /api/v1/billing/ (staff tokens only)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError

from tiketti.accounts.models import Organisation, User

from .billing import BillingLine, billing_lines, parse_month, total_amount
from .errors import StaffOnly

router = Router(tags=["billing"])


class ErrorOut(Schema):
    code: str
    message: str


class BillingLineOut(Schema):
    kind: str
    date: datetime.date
    ticket: str
    description: str
    minutes: int | None
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    reference: str


class BillingOut(Schema):
    organisation_id: int
    organisation: str
    month: str
    time_zone: str
    total: Decimal
    lines: list[BillingLineOut]


@router.get(
    "/{organisation_id}/{month}",
    response={200: BillingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def billing(request: HttpRequest, organisation_id: int, month: str) -> BillingOut:
    """An organisation's invoice lines for a month (`YYYY-MM`, its local calendar month):
    billable time, approved quotes and priority charges; amounts as decimal strings."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not user.is_agent:
        raise StaffOnly(_("Only staff can read billing data."))
    first_day = _month(month)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("No such organisation.")
    lines = billing_lines(organisation, first_day)
    return BillingOut(
        organisation_id=organisation.pk,
        organisation=organisation.name,
        month=f"{first_day:%Y-%m}",
        time_zone=organisation.time_zone,
        total=total_amount(lines),
        lines=[_line_out(line) for line in lines],
    )


def _month(text: str) -> datetime.date:
    try:
        return parse_month(text)
    except ValueError:
        raise ValidationError(
            [{"loc": ["path", "month"], "msg": _("A month like 2026-11 (YYYY-MM).")}]
        ) from None


def _line_out(line: BillingLine) -> BillingLineOut:
    return BillingLineOut(
        kind=line.kind,
        date=line.date,
        ticket=line.ticket,
        description=line.description,
        minutes=line.minutes,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        amount=line.amount,
        reference=line.reference,
    )
