"""One survey per solved ticket: the requester's good/bad rating and optional comment."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.tickets.models import Ticket


class Survey(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", _("good")
        BAD = "bad", _("bad")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="surveys")
    # A random value in the signed link: a new survey (the ticket solved again) makes the
    # links of the earlier one useless.
    nonce = models.CharField(max_length=32, unique=True)
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    commented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [models.Index(fields=["ticket", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating or '-'}"
