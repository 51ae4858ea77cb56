"""Booking a training or installation session from an entitlement.

Slots are the staff's working hours (a business calendar) cut into sessions that start on
the hour or half hour, minus the time each staff member is already booked. A slot is
offered while at least one staff member is free then; the booking takes one of them.

Two customers may pick the same slot at the same moment. `book` therefore takes row locks
(the organisation, then every bookable staff member, always in that order) and re-checks
everything under them, so exactly one of the two succeeds and the other gets a clear
"just taken" error.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.accounts.models import Organisation, User
from tiketti.mail.services import send_email
from tiketti.sla.calendar import BUILTIN_CALENDARS, open_time_between
from tiketti.sla.calendar import BusinessCalendar as CalendarValue
from tiketti.sla.models import BusinessCalendar
from tiketti.tickets.models import Ticket

from .entitlements import is_eligible
from .errors import BookingRefused
from .invitations import invitation_ics
from .models import Booking, Entitlement

WORKING_CALENDAR = "helsinki-9-16"
SLOT_STEP = datetime.timedelta(minutes=30)
# Customers book at least this far ahead, so staff can prepare.
BOOKING_NOTICE = datetime.timedelta(hours=24)
DEFAULT_MEETING_URL_TEMPLATE = "https://meet.jit.si/tiketti-{token}"


@dataclass(frozen=True)
class Slot:
    """A bookable session: UTC start and end, and the staff members free for all of it."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    staff_ids: tuple[int, ...]


def working_calendar() -> CalendarValue:
    """The staff's working hours: the stored `helsinki-9-16` calendar (admins may edit its
    holidays and closed days), or the built-in one when it is not stored."""
    stored = BusinessCalendar.objects.filter(name=WORKING_CALENDAR).first()
    return stored.to_value() if stored is not None else BUILTIN_CALENDARS[WORKING_CALENDAR]


def bookable_staff() -> list[User]:
    """Staff who run sessions: agents on any team; all agents when no team has members."""
    staff = User.objects.staff_members()
    on_teams = staff.filter(teams__isnull=False).distinct()
    return list((on_teams if on_teams.exists() else staff).order_by("pk"))


def available_slots(entitlement: Entitlement, *, start: datetime.datetime, days: int) -> list[Slot]:
    """Free sessions of `entitlement`'s length that start at or after `start`, on `days`
    local dates of the working calendar beginning with the date of `start`."""
    calendar = working_calendar()
    staff_ids = [user.pk for user in bookable_staff()]
    length = datetime.timedelta(minutes=entitlement.duration_minutes)
    candidates = list(_candidate_starts(calendar, start, days, length))
    if not candidates or not staff_ids:
        return []
    busy = _busy_times(staff_ids, candidates[0], candidates[-1] + length)
    slots = []
    for starts_at in candidates:
        ends_at = starts_at + length
        free = tuple(pk for pk in staff_ids if not _overlaps(busy.get(pk, []), starts_at, ends_at))
        if free:
            slots.append(Slot(starts_at, ends_at, free))
    return slots


def window_start(now: datetime.datetime, week: int) -> datetime.datetime:
    """Where week `week` (0 = the first) of the slot picker begins: the booking notice from
    `now`, then whole weeks of working-calendar days after it."""
    earliest = now + BOOKING_NOTICE
    if week <= 0:
        return earliest
    zone = ZoneInfo(working_calendar().tz)
    day = earliest.astimezone(zone).date() + datetime.timedelta(days=7 * week)
    return datetime.datetime.combine(day, datetime.time(0), zone)


def _candidate_starts(
    calendar: CalendarValue, start: datetime.datetime, days: int, length: datetime.timedelta
) -> Iterator[datetime.datetime]:
    """Every :00 and :30 local time on the dates, in UTC, whose whole session is open."""
    zone = ZoneInfo(calendar.tz)
    first_day = start.astimezone(zone).date()
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        for step in range(48):
            local = datetime.datetime.combine(day, datetime.time(step // 2, 30 * (step % 2)), zone)
            starts_at = local.astimezone(datetime.UTC)
            if starts_at >= start and is_open_session(calendar, starts_at, length):
                yield starts_at


def is_open_session(
    calendar: CalendarValue, starts_at: datetime.datetime, length: datetime.timedelta
) -> bool:
    """Whether a session lies wholly inside opening hours, starting on a :00 or :30 local
    wall-clock time that exists (not in a skipped DST hour)."""
    zone = ZoneInfo(calendar.tz)
    local = starts_at.astimezone(zone)
    if local.minute % 30 or local.second or local.microsecond:
        return False
    return open_time_between(calendar, starts_at, starts_at + length) == length


def _busy_times(
    staff_ids: Iterable[int], since: datetime.datetime, until: datetime.datetime
) -> dict[int, list[tuple[datetime.datetime, datetime.datetime]]]:
    """Each staff member's live bookings that touch [since, until)."""
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    bookings = Booking.objects.filter(
        staff_id__in=list(staff_ids), is_cancelled=False, starts_at__lt=until, ends_at__gt=since
    )
    for staff_id, starts_at, ends_at in bookings.values_list("staff_id", "starts_at", "ends_at"):
        busy.setdefault(staff_id, []).append((starts_at, ends_at))
    return busy


def _overlaps(
    times: list[tuple[datetime.datetime, datetime.datetime]],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> bool:
    return any(busy_start < ends_at and busy_end > starts_at for busy_start, busy_end in times)


# ---------------------------------------------------------------------------------------------
# Booking
# ---------------------------------------------------------------------------------------------


def check_may_book(user: User, organisation: Organisation) -> None:
    """Only an active main user of the organisation books its sessions."""
    if not (user.is_active and user.is_main_user and user.organisation_id == organisation.pk):
        raise BookingRefused(
            _("Only your organisation's main users can book sessions."), code="not_main_user"
        )


def organisation_today(organisation: Organisation, now: datetime.datetime) -> datetime.date:
    """The organisation's local date at `now`: the day eligibility is decided on."""
    return now.astimezone(ZoneInfo(organisation.time_zone)).date()


def book(
    entitlement: Entitlement,
    organisation: Organisation,
    booked_by: User,
    starts_at: datetime.datetime,
    ticket: Ticket | None = None,
    *,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book a session of `entitlement` at `starts_at` with a free staff member, and mail
    the booker and the staff member a confirmation with an iCalendar invitation.

    Takes row locks and re-checks eligibility and the slot under them (see the module
    docstring); raises `BookingRefused` with a stable code when it cannot be booked.
    """
    now = now or timezone.now()
    check_may_book(booked_by, organisation)
    if ticket is not None and ticket.organisation_id != organisation.pk:
        raise BookingRefused(_("That request belongs to another organisation."), code="bad_ticket")
    length = datetime.timedelta(minutes=entitlement.duration_minutes)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not is_eligible(entitlement, organisation, organisation_today(organisation, now)):
            raise BookingRefused(
                _("Your organisation's contract does not include this session (any more)."),
                code="not_eligible",
            )
        _check_slot(starts_at, length, now)
        staff = _lock_free_staff(starts_at, starts_at + length)
        booking = Booking.objects.create(
            entitlement=entitlement,
            organisation=organisation,
            ticket=ticket,
            staff=staff,
            booked_by=booked_by,
            starts_at=starts_at,
            ends_at=starts_at + length,
            meeting_url=new_meeting_url(),
            created_at=now,
        )
        send_booking_confirmations(booking, now=now)
    return booking


def _check_slot(
    starts_at: datetime.datetime, length: datetime.timedelta, now: datetime.datetime
) -> None:
    if starts_at.tzinfo is None:
        raise BookingRefused(_("That time is not one of the offered times."), code="bad_slot")
    if starts_at < now + BOOKING_NOTICE:
        raise BookingRefused(
            _("Sessions are booked at least a day ahead. Please pick a later time."),
            code="slot_too_soon",
        )
    if not is_open_session(working_calendar(), starts_at, length):
        raise BookingRefused(_("That time is not one of the offered times."), code="bad_slot")


def _lock_free_staff(starts_at: datetime.datetime, ends_at: datetime.datetime) -> User:
    """Lock every bookable staff row (in pk order, so two bookings never deadlock), then pick
    the free one with the fewest upcoming sessions."""
    staff_ids = [user.pk for user in bookable_staff()]
    locked = list(User.objects.select_for_update().filter(pk__in=staff_ids).order_by("pk"))
    busy = _busy_times(staff_ids, starts_at, ends_at)
    free = [user.pk for user in locked if not _overlaps(busy.get(user.pk, []), starts_at, ends_at)]
    if not free:
        raise BookingRefused(
            _("Sorry, that time was just taken. Please pick another one."), code="slot_taken"
        )
    upcoming = Count(
        "bookings", filter=Q(bookings__is_cancelled=False, bookings__ends_at__gt=ends_at)
    )
    candidates = User.objects.filter(pk__in=free).annotate(upcoming=upcoming)
    return candidates.order_by("upcoming", "pk")[0]


def new_meeting_url() -> str:
    """A fresh, unguessable video-meeting link from TIKETTI_MEETING_URL_TEMPLATE ({token})."""
    template = getattr(settings, "TIKETTI_MEETING_URL_TEMPLATE", DEFAULT_MEETING_URL_TEMPLATE)
    return str(template).format(token=secrets.token_hex(10))


def send_booking_confirmations(booking: Booking, *, now: datetime.datetime) -> None:
    """Mail the booker and the staff member, each in their language and time zone, with
    the invitation attached. Runs inside the booking's transaction: delivery follows commit."""
    staff_zone = working_calendar().tz
    for recipient, template, zone in (
        (booking.booked_by, "booking-confirmed", booking.organisation.time_zone),
        (booking.staff, "booking-assigned", staff_zone),
    ):
        send_email(
            template=template,
            recipient=recipient,
            context={"booking": booking, "time_zone": zone},
            ticket=booking.ticket,
            calendar_ics=invitation_ics(booking, language=recipient.language, stamp=now),
        )
