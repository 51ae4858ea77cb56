"""Satisfaction events (mail tells the team lead). Sent after commit."""

from django.dispatch import Signal

# sender=Survey, survey_id=int: a requester rated a ticket bad
rated_bad = Signal()
