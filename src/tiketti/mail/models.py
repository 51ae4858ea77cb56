"""Mail that Tiketti sends: stored first, delivered by the worker, retried on failure."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.tickets.models import Ticket


def claim_expired_before() -> datetime:
    """A mail claimed for sending before this moment was interrupted (its worker was
    killed, or lost its connection): it is due again."""
    return timezone.now() - timedelta(seconds=settings.TIKETTI_MAIL_CLAIM_SECONDS)


def interrupted() -> Q:
    """Mail in 'sending' whose claim expired (rows claimed before claims were stamped:
    by when they were claimed, which their next attempt time recorded)."""
    expired = claim_expired_before()
    return Q(status=OutgoingEmail.Status.SENDING) & (
        Q(claimed_at__lt=expired) | Q(claimed_at__isnull=True, next_attempt_at__lt=expired)
    )


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def due(self) -> OutgoingEmailQuerySet:
        """Queued mail whose time has come, and mail whose sending was interrupted."""
        queued = Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=timezone.now())
        return self.filter(queued | interrupted())


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing_emails"
    )
    template = models.CharField(max_length=60)
    to = models.EmailField(_("to"))
    language = models.CharField(max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=250, unique=True)
    in_reply_to = models.CharField(max_length=250, blank=True)
    references = models.TextField(blank=True)
    is_automatic = models.BooleanField(default=False)
    # An iCalendar invitation (METHOD:REQUEST) sent along as a text/calendar part.
    calendar_ics = models.TextField(blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a worker took it for sending; a claim older than TIKETTI_MAIL_CLAIM_SECONDS
    # was interrupted and expires.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Mailbox(models.Model):
    """A support address: where its mail is routed and, for IMAP, how to fetch it."""

    class AuthMethod(models.TextChoices):
        PASSWORD = "password", _("password")
        OAUTH2 = "oauth2", _("OAuth 2.0 (Microsoft 365, Google Workspace)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.EmailField(_("address"), unique=True)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True
    )
    category = models.ForeignKey(
        "tickets.Category",
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # IMAP (optional: mail may also arrive by pipe or LMTP)
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_tls = models.BooleanField(_("TLS"), default=True)
    imap_username = models.CharField(_("user name"), max_length=200, blank=True)
    imap_folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    auth_method = models.CharField(
        _("sign-in"), max_length=10, choices=AuthMethod.choices, default=AuthMethod.PASSWORD
    )
    imap_password = models.CharField(_("password"), max_length=500, blank=True)
    oauth_token_url = models.URLField(_("OAuth token URL"), blank=True)
    oauth_client_id = models.CharField(_("OAuth client id"), max_length=300, blank=True)
    oauth_client_secret = models.CharField(_("OAuth client secret"), max_length=500, blank=True)
    oauth_refresh_token = models.TextField(_("OAuth refresh token"), blank=True)
    oauth_access_token = models.TextField(blank=True)
    oauth_expires_at = models.DateTimeField(null=True, blank=True)
    last_fetch_started_at = models.DateTimeField(null=True, blank=True)
    last_fetch_succeeded_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_fetch_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class InboundMessageQuerySet(models.QuerySet["InboundMessage"]):
    def needing_attention(self) -> InboundMessageQuerySet:
        return self.filter(status__in=[InboundMessage.Status.FAILED, InboundMessage.Status.HELD])

    def due_for_retry(self) -> InboundMessageQuerySet:
        """Failed for a passing reason (the database), and the time to try again has come."""
        return self.filter(status=InboundMessage.Status.FAILED, next_attempt_at__lte=timezone.now())


class InboundMessage(models.Model):
    """One received e-mail, stored as raw bytes before anything parses it.

    Processing is a separate, idempotent step; whatever happens to the message (a ticket
    message, held for review, dropped as an auto-reply, failed with an error) is recorded
    here, so nothing is ever silently lost.
    """

    class Status(models.TextChoices):
        STORED = "stored", _("waiting to be processed")
        PROCESSING = "processing", _("being processed")
        PROCESSED = "processed", _("added to a ticket")
        HELD = "held", _("held for review")
        DROPPED = "dropped", _("dropped")
        DUPLICATE = "duplicate", _("duplicate")
        FAILED = "failed", _("failed")

    class Via(models.TextChoices):
        PIPE = "pipe", _("pipe")
        IMAP = "imap", _("IMAP")
        LMTP = "lmtp", _("LMTP")
        IMPORT = "import", _("import")

    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    # An earlier, different message with the same Message-ID: this one was stored and
    # judged on its own all the same.
    reuses_message_id_of = models.ForeignKey(
        "self",
        verbose_name=_("reuses the Message-ID of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reused_by",
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    envelope_recipient = models.CharField(max_length=254, blank=True)
    size = models.PositiveIntegerField(default=0)
    # Filled in by processing (readable summary for the admin list)
    sender = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.STORED, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    # Failed processing attempts; a passing failure (the database locked or away) sets
    # when the worker tries again, after a pause that doubles with each one.
    failure_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The ticket message it became (its column cannot be `message_id`: that is the header).
    ticket_message = models.ForeignKey(
        "tickets.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="originals",
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")

    def __str__(self) -> str:
        return f"{self.sender or '?'}: {self.subject or self.message_id}"

    @property
    def will_retry(self) -> bool:
        """Failed, and the worker processes it again by itself (no admin needed)."""
        return self.status == self.Status.FAILED and self.next_attempt_at is not None
