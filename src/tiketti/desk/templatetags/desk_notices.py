"""`{% staff_notices_link %}`: the desk header's link to a staff member's notices, with
the number not yet read."""

from __future__ import annotations

from django import template

from tiketti.accounts.models import User
from tiketti.tickets.models import StaffNotice

register = template.Library()


@register.inclusion_tag("desk/notices_link.html")
def staff_notices_link(user: User) -> dict[str, int]:
    """One query: how many of the user's notices are unread."""
    unread = StaffNotice.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread": unread}
