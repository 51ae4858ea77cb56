import datetime
import threading
from datetime import UTC

import pytest
from django.db import close_old_connections, connection

from tiketti.accounts.tests.factories import UserFactory
from tiketti.contracts.booking import available_slots, book, bookable_staff, window_start
from tiketti.contracts.errors import BookingRefused
from tiketti.contracts.models import Booking
from tiketti.mail.models import OutgoingEmail
from tiketti.sla.calendar import BUILTIN_CALENDARS
from tiketti.sla.models import BusinessCalendar

from .conftest import HELSINKI, give_contract

MONDAY = datetime.date(2026, 11, 30)
# Booked a week ahead: clear of the one-day notice.
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def at(day, hour, minute=0):
    """A Helsinki wall-clock time (winter, UTC+2)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), HELSINKI)


def starts(slots):
    return [slot.starts_at.astimezone(HELSINKI).strftime("%H:%M") for slot in slots]


@pytest.fixture
def eligible(organisation, plan, training, installation, agent):
    give_contract(organisation, plan, datetime.date(2026, 11, 20))
    return organisation


def existing_booking(entitlement, staff, booked_by, starts_at, minutes=60, **fields):
    return Booking.objects.create(
        entitlement=entitlement,
        organisation=booked_by.organisation,
        staff=staff,
        booked_by=booked_by,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        **fields,
    )


# --- slots --------------------------------------------------------------------------------


def test_slots_start_on_the_hour_and_half_hour_within_working_hours(training, agent):
    slots = available_slots(training, start=at(MONDAY, 0), days=1)
    assert starts(slots) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00",
        "12:30", "13:00", "13:30", "14:00", "14:30", "15:00",
    ]  # fmt: skip
    assert slots[0].starts_at == datetime.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert slots[-1].ends_at == datetime.datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert slots[0].staff_ids == (agent.pk,)


def test_longer_sessions_must_end_by_closing_time(installation, agent):
    slots = available_slots(installation, start=at(MONDAY, 0), days=1)
    assert starts(slots)[-1] == "14:00"


def test_slots_begin_at_the_start_given(training, agent):
    slots = available_slots(training, start=at(MONDAY, 10, 15), days=1)
    assert starts(slots)[0] == "10:30"


def test_weekends_and_public_holidays_have_no_slots(training, agent):
    christmas_eve = datetime.date(2026, 12, 24)  # Thursday; then Christmas and a weekend
    slots = available_slots(training, start=at(christmas_eve, 0), days=5)
    assert {slot.starts_at.astimezone(HELSINKI).date() for slot in slots} == {
        datetime.date(2026, 12, 28)
    }


def test_the_stored_working_calendar_is_used_when_admins_keep_one(training, agent):
    definition = BUILTIN_CALENDARS["helsinki-9-16"].to_json() | {"closed": [MONDAY.isoformat()]}
    BusinessCalendar.objects.create(name="helsinki-9-16", definition=definition)
    assert available_slots(training, start=at(MONDAY, 0), days=1) == []


def test_existing_bookings_of_the_staff_member_are_excluded(training, agent, main_user):
    existing_booking(training, agent, main_user, at(MONDAY, 10))
    slots = available_slots(training, start=at(MONDAY, 0), days=1)
    assert "09:00" in starts(slots)
    assert "11:00" in starts(slots)
    for overlapping in ("09:30", "10:00", "10:30"):
        assert overlapping not in starts(slots)


def test_cancelled_bookings_free_the_time_again(training, agent, main_user):
    existing_booking(training, agent, main_user, at(MONDAY, 10), is_cancelled=True)
    assert "10:00" in starts(available_slots(training, start=at(MONDAY, 0), days=1))


def test_a_slot_stays_open_while_another_staff_member_is_free(training, agent, team, main_user):
    colleague = UserFactory(agent=True)
    colleague.teams.add(team)
    existing_booking(training, agent, main_user, at(MONDAY, 10))
    [ten] = [slot for slot in available_slots(training, start=at(MONDAY, 0), days=1)
             if slot.starts_at == at(MONDAY, 10)]  # fmt: skip
    assert ten.staff_ids == (colleague.pk,)


def test_staff_are_team_members_or_else_every_agent(agent, team):
    loner = UserFactory(agent=True)
    assert bookable_staff() == [agent]
    agent.teams.clear()
    assert bookable_staff() == sorted([agent, loner], key=lambda user: user.pk)


def test_picker_weeks_after_the_first_start_at_local_midnight(db):
    assert window_start(NOW, 0) == NOW + datetime.timedelta(hours=24)
    assert window_start(NOW, 1) == at(datetime.date(2026, 12, 1), 0)


# --- booking ------------------------------------------------------------------------------


def test_main_user_books_a_free_slot_with_a_staff_member_and_a_meeting_link(
    eligible, training, main_user, agent
):
    booking = book(training, eligible, main_user, at(MONDAY, 9), now=NOW)
    assert booking.staff == agent
    assert booking.starts_at == at(MONDAY, 9)
    assert booking.ends_at == at(MONDAY, 10)
    assert booking.meeting_url.startswith("https://meet.jit.si/tiketti-")
    emails = OutgoingEmail.objects.order_by("pk")
    assert [email.to for email in emails] == [main_user.email, agent.email]
    assert all("BEGIN:VEVENT" in email.calendar_ics for email in emails)


def test_meeting_link_follows_the_configured_template(eligible, training, main_user, settings):
    settings.TIKETTI_MEETING_URL_TEMPLATE = "https://video.example/room/{token}"
    booking = book(training, eligible, main_user, at(MONDAY, 9), now=NOW)
    assert booking.meeting_url.startswith("https://video.example/room/")
    assert len(booking.meeting_url) > len("https://video.example/room/") + 10


@pytest.mark.parametrize("who", ["ordinary_user", "stranger"])
def test_only_main_users_of_the_organisation_may_book(eligible, training, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(BookingRefused) as caught:
        book(training, eligible, user, at(MONDAY, 9), now=NOW)
    assert caught.value.code == "not_main_user"
    assert not Booking.objects.exists()


def test_organisation_without_the_entitlement_cannot_book(
    organisation, plan, training, main_user, agent
):
    give_contract(organisation, plan, datetime.date(2026, 1, 1))  # window long over
    with pytest.raises(BookingRefused) as caught:
        book(training, organisation, main_user, at(MONDAY, 9), now=NOW)
    assert caught.value.code == "not_eligible"


def test_installation_is_booked_once_and_then_no_longer_offered(eligible, installation, main_user):
    book(installation, eligible, main_user, at(MONDAY, 9), now=NOW)
    with pytest.raises(BookingRefused) as caught:
        book(installation, eligible, main_user, at(MONDAY, 13), now=NOW)
    assert caught.value.code == "not_eligible"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("starts_at", "code"),
    [
        (at(MONDAY, 8), "bad_slot"),  # before opening
        (at(MONDAY, 15, 30), "bad_slot"),  # would end after closing
        (at(MONDAY, 9, 15), "bad_slot"),  # not on the half hour
        (at(datetime.date(2026, 12, 5), 10), "bad_slot"),  # Saturday
        (NOW + datetime.timedelta(hours=2), "slot_too_soon"),
    ],
)
def test_times_that_are_not_offered_are_refused(eligible, training, main_user, starts_at, code):
    with pytest.raises(BookingRefused) as caught:
        book(training, eligible, main_user, starts_at, now=NOW)
    assert caught.value.code == code


def test_a_taken_slot_is_refused_when_nobody_else_is_free(
    eligible, training, installation, main_user
):
    book(installation, eligible, main_user, at(MONDAY, 9), now=NOW)  # 9-11 with the only agent
    with pytest.raises(BookingRefused) as caught:
        book(training, eligible, main_user, at(MONDAY, 10), now=NOW)
    assert caught.value.code == "slot_taken"


def test_the_least_busy_free_staff_member_gets_the_session(
    eligible, training, main_user, agent, team
):
    colleague = UserFactory(agent=True)
    colleague.teams.add(team)
    training.once = False
    training.save()
    first = book(training, eligible, main_user, at(MONDAY, 9), now=NOW)
    second = book(training, eligible, main_user, at(MONDAY, 9), now=NOW)
    assert {first.staff, second.staff} == {agent, colleague}


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_same_slot_exactly_one_succeeds(
    organisation, plan, training, main_user, stranger, agent
):
    """Two organisations take the last free hour at once (threads with their own
    connections): one gets it, the other is told it was just taken."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("needs a file or server database")
    give_contract(organisation, plan, datetime.date(2026, 11, 20))
    give_contract(stranger.organisation, plan, datetime.date(2026, 11, 20))
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def book_one(user):
        try:
            barrier.wait(timeout=10)
            outcomes.append(book(training, user.organisation, user, at(MONDAY, 9), now=NOW))
        except BaseException as error:  # collected and asserted below
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=book_one, args=(user,)) for user in (main_user, stranger)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    booked = [outcome for outcome in outcomes if isinstance(outcome, Booking)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, BookingRefused)]
    assert len(booked) == 1, outcomes
    assert [error.code for error in refused] == ["slot_taken"], outcomes
    assert Booking.objects.filter(is_cancelled=False).count() == 1
