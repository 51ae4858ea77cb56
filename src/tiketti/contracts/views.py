"""Booking pages for main users: what they may book, a slot picker, the confirmation."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import User

from . import booking as booking_service
from .access import get_booker_organisation, get_booking_for_booker, get_entitlement_for_booker
from .entitlements import eligible_entitlements
from .errors import BookingRefused
from .forms import SlotForm, slot_value
from .models import Booking

DAYS_PER_PAGE = 7
WEEKS_AHEAD = 8


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def entitlement_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.organisation_id is not None and not user.is_main_user and not user.is_agent:
        # A contact who cannot book: say who can, instead of a bare 404.
        return render(request, "contracts/main_users_only.html", status=403)
    organisation = get_booker_organisation(user)
    now = timezone.now()
    today = booking_service.organisation_today(organisation, now)
    upcoming = (
        Booking.objects.filter(organisation=organisation, is_cancelled=False, ends_at__gte=now)
        .select_related("entitlement", "staff")
        .order_by("starts_at")
    )
    context = {
        "organisation": organisation,
        "entitlements": eligible_entitlements(organisation, today),
        "bookings": upcoming,
    }
    return render(request, "contracts/entitlement_list.html", context)


@login_required
def slot_picker(request: HttpRequest, entitlement_id: int) -> HttpResponse:
    user = _user(request)
    organisation = get_booker_organisation(user)
    now = timezone.now()
    today = booking_service.organisation_today(organisation, now)
    entitlement = get_entitlement_for_booker(user, entitlement_id, today)
    week = _week(request)
    slots = booking_service.available_slots(
        entitlement, start=booking_service.window_start(now, week), days=DAYS_PER_PAGE
    )
    form = SlotForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            booked = booking_service.book(
                entitlement, organisation, user, form.cleaned_data["starts_at"], now=now
            )
        except BookingRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Booked. A confirmation with a calendar invitation is on its way.")
            )
            return redirect("contracts:booking-detail", booked.pk)
    context = {
        "organisation": organisation,
        "entitlement": entitlement,
        "form": form,
        "days": _by_day(slots, organisation.time_zone),
        "chosen": form["starts_at"].value(),
        "week": week,
        "previous_week": week - 1 if week > 0 else None,
        "next_week": week + 1 if week + 1 < WEEKS_AHEAD else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "contracts/slot_picker.html", context, status=status)


@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = get_booking_for_booker(_user(request), booking_id)
    return render(request, "contracts/booking_detail.html", {"booking": booking})


def _week(request: HttpRequest) -> int:
    try:
        week = int(request.GET.get("week", "0"))
    except ValueError:
        return 0
    return min(max(week, 0), WEEKS_AHEAD - 1)


def _by_day(
    slots: Sequence[booking_service.Slot], time_zone: str
) -> list[tuple[datetime.date, list[tuple[str, booking_service.Slot]]]]:
    """Slots grouped by their date in the organisation's time zone, with their form values."""
    zone = ZoneInfo(time_zone)
    return [
        (day, [(slot_value(slot), slot) for slot in group])
        for day, group in itertools.groupby(
            slots, key=lambda slot: slot.starts_at.astimezone(zone).date()
        )
    ]
