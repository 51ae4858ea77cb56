"""Who may book what. The booking pages ask here; anything not theirs is a 404."""

from __future__ import annotations

import datetime

from django.http import Http404

from tiketti.accounts.models import Organisation, User

from .entitlements import eligible_entitlements
from .models import Booking, Entitlement


def is_booker(user: User) -> bool:
    """Main users of an organisation book its sessions; nobody else does."""
    return user.is_active and user.is_main_user and not user.is_agent


def get_booker_organisation(user: User) -> Organisation:
    """The organisation `user` books for; 404 unless they are one of its main users."""
    if not is_booker(user) or user.organisation is None:
        raise Http404("Not a main user.")
    return user.organisation


def get_entitlement_for_booker(user: User, entitlement_id: int, on: datetime.date) -> Entitlement:
    """An entitlement the user's organisation may book on day `on`, else 404."""
    organisation = get_booker_organisation(user)
    for entitlement in eligible_entitlements(organisation, on):
        if entitlement.pk == entitlement_id:
            return entitlement
    raise Http404("No such entitlement.")


def get_booking_for_booker(user: User, booking_id: int) -> Booking:
    """A booking of the user's organisation, else 404."""
    organisation = get_booker_organisation(user)
    booking = (
        Booking.objects.select_related("entitlement", "staff", "booked_by", "organisation")
        .filter(pk=booking_id, organisation=organisation)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking
