import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tiketti.contracts.forms import slot_value
from tiketti.contracts.models import Booking, Plan

from .conftest import give_contract

RADIO = re.compile(r'name="starts_at" value="([^"]+)"')


@pytest.fixture
def eligible(organisation, plan, training, installation, agent):
    give_contract(organisation, plan, timezone.localdate() - datetime.timedelta(days=2))
    return organisation


@pytest.fixture
def other_plan_for_stranger(stranger):
    other = Plan.objects.create(name="Other plan", monthly_support_minutes=60)
    give_contract(stranger.organisation, other, timezone.localdate())
    return other


def offered(response):
    return RADIO.findall(response.content.decode())


def test_main_user_sees_the_entitlements_to_book(client, eligible, main_user, training):
    client.force_login(main_user)
    response = client.get(reverse("contracts:entitlement-list"))
    assert response.status_code == 200
    assert reverse("contracts:slot-picker", args=[training.pk]) in response.content.decode()
    assert "Installation of the client panel" in response.content.decode()


def test_ordinary_user_is_told_to_ask_the_main_user(client, eligible, ordinary_user, training):
    ordinary_user.language = "en"  # the assertion reads the English message
    ordinary_user.save()
    client.force_login(ordinary_user)
    response = client.get(reverse("contracts:entitlement-list"))
    assert response.status_code == 403
    assert "main users" in response.content.decode()
    picker = client.get(reverse("contracts:slot-picker", args=[training.pk]))
    assert picker.status_code == 404


def test_staff_have_no_booking_pages(client, eligible, agent):
    client.force_login(agent)
    assert client.get(reverse("contracts:entitlement-list")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, eligible):
    response = client.get(reverse("contracts:entitlement-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_main_user_picks_a_slot_and_books_it(client, eligible, main_user, training, agent):
    client.force_login(main_user)
    picker = client.get(reverse("contracts:slot-picker", args=[training.pk]))
    assert picker.status_code == 200
    choices = offered(picker)
    assert choices, "a week of working days has free times"
    response = client.post(
        reverse("contracts:slot-picker", args=[training.pk]), {"starts_at": choices[0]}
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:booking-detail", args=[booking.pk])
    assert slot_value_of(booking) == choices[0]
    assert booking.booked_by == main_user
    detail = client.get(response["Location"])
    assert booking.meeting_url in detail.content.decode()


def slot_value_of(booking):
    return booking.starts_at.astimezone(datetime.UTC).isoformat()


def test_a_time_that_is_not_offered_is_refused_on_the_form(client, eligible, main_user, training):
    main_user.language = "en"  # the assertion reads the English message
    main_user.save()
    client.force_login(main_user)
    url = reverse("contracts:slot-picker", args=[training.pk])
    response = client.post(url, {"starts_at": "2020-01-01T07:00:00+00:00"})
    assert response.status_code == 400
    assert "no longer free" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_picker_shows_times_in_the_organisations_time_zone(
    client, eligible, main_user, training
):
    client.force_login(main_user)
    url = reverse("contracts:slot-picker", args=[training.pk]) + "?week=1"
    eligible.time_zone = "Europe/London"
    eligible.save()
    london = client.get(url).content.decode()
    eligible.time_zone = "Europe/Helsinki"
    eligible.save()
    helsinki = client.get(url).content.decode()
    # Helsinki opens at 9, two hours ahead of London all year round.
    assert "07:00–08:00" in london
    assert "14:00–15:00" not in london
    assert "07:00–08:00" not in helsinki
    assert "15:00–16:00" in helsinki


def test_once_booked_the_installation_is_no_longer_offered(
    client, eligible, main_user, installation
):
    client.force_login(main_user)
    url = reverse("contracts:slot-picker", args=[installation.pk])
    choice = offered(client.get(url))[0]
    client.post(url, {"starts_at": choice})
    assert client.get(url).status_code == 404
    listing = client.get(reverse("contracts:entitlement-list")).content.decode()
    assert "Installation of the client panel" in listing  # now under booked sessions
    assert url not in listing


def test_another_organisation_cannot_book_or_see_our_entitlements_or_bookings(
    client, eligible, main_user, stranger, other_plan_for_stranger, training
):
    client.force_login(main_user)
    url = reverse("contracts:slot-picker", args=[training.pk])
    client.post(url, {"starts_at": offered(client.get(url))[0]})
    booking = Booking.objects.get()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, {"starts_at": slot_value_of(booking)}).status_code == 404
    detail = reverse("contracts:booking-detail", args=[booking.pk])
    assert client.get(detail).status_code == 404
    assert Booking.objects.count() == 1


def test_only_main_users_see_the_bookings_link(client, eligible, main_user, ordinary_user):
    link = reverse("contracts:entitlement-list")
    client.force_login(main_user)
    assert link in client.get(reverse("portal:ticket-list")).content.decode()
    client.force_login(ordinary_user)
    assert link not in client.get(reverse("portal:ticket-list")).content.decode()


def render_offers(user):
    template = Template("{% load contracts %}{% entitlement_offers user %}")
    return template.render(Context({"user": user}))


def test_request_page_offers_link_to_booking_for_eligible_main_users(
    eligible, main_user, ordinary_user, training
):
    assert reverse("contracts:slot-picker", args=[training.pk]) in render_offers(main_user)
    assert render_offers(ordinary_user).strip() == ""


def test_no_offers_without_a_contract(organisation, main_user, training):
    organisation.contracts.all().delete()
    assert render_offers(main_user).strip() == ""


def test_slot_values_are_utc_iso_strings():
    from tiketti.contracts.booking import Slot

    moment = datetime.datetime(
        2026, 11, 30, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    slot = Slot(moment, moment + datetime.timedelta(hours=1), (1,))
    assert slot_value(slot) == "2026-11-30T07:00:00+00:00"
