import datetime
from datetime import UTC

import pytest
from django.core import mail
from icalendar import Calendar

from tiketti.contracts.booking import book, send_booking_confirmations
from tiketti.mail.models import OutgoingEmail

from .conftest import HELSINKI, give_contract

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NINE_IN_HELSINKI = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=HELSINKI)


@pytest.fixture
def booked(organisation, plan, training, main_user, agent, django_capture_on_commit_callbacks):
    give_contract(organisation, plan, datetime.date(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):
        return book(training, organisation, main_user, NINE_IN_HELSINKI, now=NOW)


def calendar_parts(message):
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def the_event(part):
    [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return event


def test_confirmation_carries_an_invitation_at_the_right_utc_time(booked, main_user, agent):
    sent = {message.to[0]: message.message() for message in mail.outbox}
    assert set(sent) == {main_user.email, agent.email}
    [part] = calendar_parts(sent[main_user.email])
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    calendar = Calendar.from_ical(part.get_content())
    assert calendar["METHOD"] == "REQUEST"
    event = the_event(part)
    assert event.decoded("DTSTART") == datetime.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert event.to_ical().decode().count("DTSTART:20261130T070000Z") == 1
    assert str(event["UID"]) == f"booking-{booked.pk}@tiketti.localhost"
    assert booked.meeting_url in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == f"mailto:{agent.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{main_user.email}"


def test_each_recipient_reads_the_time_in_their_own_zone(booked, organisation):
    """Both are Finnish speakers (times as 7.00); the customer is in London, staff in Helsinki."""
    organisation.time_zone = "Europe/London"
    organisation.save()
    booked.refresh_from_db()
    send_booking_confirmations(booked, now=NOW)
    to_booker, to_staff = OutgoingEmail.objects.order_by("-pk")[:2][::-1]
    assert "7.00–8.00 (Europe/London)" in to_booker.body_text
    assert "9.00–10.00 (Europe/Helsinki)" in to_staff.body_text
    assert booked.meeting_url in to_booker.body_text
    assert f'href="{booked.meeting_url}"' in to_booker.body_html
    assert "Video training" in to_staff.subject
    assert "Aurora Oy" in to_staff.subject


def test_invitation_reaches_a_real_smtp_server_intact(
    smtp_server, organisation, plan, training, main_user, agent, django_capture_on_commit_callbacks
):
    give_contract(organisation, plan, datetime.date(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(training, organisation, main_user, NINE_IN_HELSINKI, now=NOW)
    received = {message["X-Envelope-To"]: message for message in smtp_server.messages}
    [part] = calendar_parts(received[main_user.email])
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    event = the_event(part)
    assert event.decoded("DTSTART") == booking.starts_at.astimezone(UTC)
    assert received[main_user.email].get_body(("plain",)) is not None
