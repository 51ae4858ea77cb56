"""Requests from people who are not signed in: the public form and agencies acting for a
customer. Both wait here until someone proves they may file (`public_requests`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation, User
from tiketti.tickets.models import Category, Ticket


class PendingRequest(models.Model):
    """A request that is not a ticket yet: a visitor's until they confirm their address by
    the mailed link, an agency's until a main user of the customer (or staff) confirms it."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("public form")
        AGENCY = "agency", _("agency form")

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for confirmation")
        FILED = "filed", _("filed")
        REFUSED = "refused", _("refused")
        DECLINED = "declined", _("declined")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    # Public form: the organisation as the visitor wrote it (staff read it; intake decides
    # by the address). Agency form: the agency's own name.
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    # Agency form: the customer the agency acts for.
    customer = models.ForeignKey(
        Organisation,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=250)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.SET_NULL, null=True, blank=True
    )
    field_answers = models.JSONField(_("answers"), default=dict, blank=True)
    impact = models.CharField(_("impact"), max_length=10, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # A keyed digest of the client address: enough to count, nothing to read back.
    client_digest = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # When the sender opened the link mailed to them (the address is theirs).
    address_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why intake refused it (its stable code), when it did.
    reason = models.CharField(_("reason"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("pending request")
        verbose_name_plural = _("pending requests")
        ordering = ("-created_at",)
        indexes = (models.Index(fields=("email", "created_at")),)

    def __str__(self) -> str:
        return f"{self.email}: {self.subject}"


class AgencyApproval(models.Model):
    """A customer's answer about an agency acting for it, remembered for the pair: a
    confirmed agency files without waiting, a declined one is refused."""

    agency_email = models.EmailField(_("agency e-mail address"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    is_confirmed = models.BooleanField(_("confirmed"))
    # The main user who vouched for the agency: the agency's tickets are filed in their
    # name (the agency follows them as a cc contact).
    vouched_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("agency approval")
        verbose_name_plural = _("agency approvals")
        constraints = (
            models.UniqueConstraint(
                fields=("agency_email", "organisation"), name="one_approval_per_agency_customer"
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency_email} → {self.organisation}"
