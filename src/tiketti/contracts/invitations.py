"""iCalendar invitations (RFC 5545, METHOD:REQUEST) for booked sessions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from tiketti.accounts.models import User

from .models import Booking


def booking_uid(booking: Booking) -> str:
    """The event's UID: stable, so a later update or cancellation replaces the same event."""
    return f"booking-{booking.pk}@{settings.TIKETTI_MAIL_DOMAIN}"


def invitation_ics(booking: Booking, *, language: str, stamp: datetime.datetime) -> str:
    """The invitation to `booking` as iCalendar text, its words in `language`; times in UTC."""
    with translation.override(language):
        summary = _("%(session)s (%(site)s)") % {
            "session": booking.entitlement.localized_name(language),
            "site": settings.TIKETTI_SITE_NAME,
        }
        description = _("Join the video meeting: %(url)s") % {"url": booking.meeting_url}
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", booking.starts_at.astimezone(datetime.UTC))
    event.add("dtend", booking.ends_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", booking.meeting_url)
    event.add("url", booking.meeting_url)
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    event.add("organizer", _address(booking.staff))
    attendee = _address(booking.booked_by)
    # They picked the time themselves: accepted already, no reply expected.
    attendee.params.update(role="REQ-PARTICIPANT", partstat="ACCEPTED", rsvp="FALSE")
    event.add("attendee", attendee)
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.TIKETTI_SITE_NAME}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics.decode()


def _address(person: User) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.get_full_name())
    return address
