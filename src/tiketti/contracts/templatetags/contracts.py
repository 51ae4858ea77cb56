"""`{% load contracts %}{% entitlement_offers user %}`: bookable sessions, for a main user
whose organisation's plan includes any (the request page shows them)."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tiketti.accounts.models import User

from ..access import is_booker
from ..booking import organisation_today
from ..entitlements import eligible_entitlements
from ..models import Entitlement

register = template.Library()


@register.inclusion_tag("contracts/partials/entitlement_offers.html")
def entitlement_offers(user: User | AnonymousUser) -> dict[str, list[Entitlement]]:
    if not isinstance(user, User) or not is_booker(user) or user.organisation is None:
        return {"entitlements": []}
    today = organisation_today(user.organisation, timezone.now())
    return {"entitlements": eligible_entitlements(user.organisation, today)}
