"""Satisfaction surveys: a signed one-click link per rating, usable once, expiring."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiketti.tickets.errors import TicketError
from tiketti.tickets.models import Ticket

from .models import Survey
from .signals import rated_bad

VALID_FOR = timedelta(days=14)
SALT = "tiketti.satisfaction"
MAX_COMMENT = 4000


class SurveyClosed(TicketError):
    code = "survey_closed"
    status = 410


def start_survey(*, ticket: Ticket) -> Survey:
    """A new survey for a solved ticket; its links are `rating_token(survey, rating)`."""
    now = timezone.now()
    return Survey.objects.create(
        ticket=ticket, nonce=secrets.token_hex(16), created_at=now, expires_at=now + VALID_FOR
    )


def rating_token(survey: Survey, rating: str) -> str:
    return signing.dumps({"s": survey.nonce, "r": rating}, salt=SALT, compress=True)


def survey_from_token(token: str) -> tuple[Survey, str]:
    """The survey and rating a link names; refuses forged, expired or unknown links."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.BadSignature:
        raise SurveyClosed(_("This link is not valid or has expired.")) from None
    rating = data.get("r") if isinstance(data, dict) else None
    survey = Survey.objects.select_related("ticket").filter(nonce=data.get("s", "")).first()
    if survey is None or rating not in Survey.Rating.values:
        raise SurveyClosed(_("This link is not valid or has expired."))
    return survey, str(rating)


def record_rating(*, token: str) -> Survey:
    """Record the rating a link carries, once: a second click changes nothing. A bad
    rating tells the team lead (after commit)."""
    survey, rating = survey_from_token(token)
    now = timezone.now()
    if survey.expires_at <= now:
        raise SurveyClosed(_("This link is not valid or has expired."))
    with transaction.atomic():
        claimed = Survey.objects.filter(pk=survey.pk, rated_at=None).update(
            rating=rating, rated_at=now
        )
        if claimed and rating == Survey.Rating.BAD:
            transaction.on_commit(lambda: rated_bad.send(Survey, survey_id=survey.pk))
    survey.refresh_from_db()
    return survey


def add_comment(*, token: str, comment: str) -> Survey:
    """The optional comment after a rating, once."""
    survey, _rating = survey_from_token(token)
    text = comment.strip()[:MAX_COMMENT]
    if not text:
        return survey
    claimed = Survey.objects.filter(
        pk=survey.pk, rated_at__isnull=False, commented_at=None, expires_at__gt=timezone.now()
    ).update(comment=text, commented_at=timezone.now())
    if not claimed:
        raise SurveyClosed(_("A comment has already been sent for this ticket."))
    survey.refresh_from_db()
    return survey


def latest_rating(ticket: Ticket) -> Survey | None:
    return ticket.surveys.exclude(rating="").order_by("-rated_at").first()
