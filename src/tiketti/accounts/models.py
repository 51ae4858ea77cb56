"""People and organisations: staff, customer contacts, the organisations they belong to."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiketti.localized_names import LocalizedName

from .phones import normalise_phone


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FINNISH = "fi", _("Finnish")
    POLISH = "pl", _("Polish")


def normalize_email(address: str) -> str:
    """E-mail addresses compare case-insensitively in practice: store them lower-cased."""
    return address.strip().lower()


class Organisation(models.Model):
    """A customer: a company or association that buys support."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Helsinki")

    class FilingPolicy(models.TextChoices):
        MAIN_USERS = "main_users", _("only main users may file requests")
        ALL_CONTACTS = "all_contacts", _("every contact may file requests")

    filing_policy = models.CharField(
        _("who may file"),
        max_length=20,
        choices=FilingPolicy.choices,
        default=FilingPolicy.MAIN_USERS,
    )
    notes = models.TextField(
        _("notes for staff"),
        blank=True,
        help_text=_("The customer's own setup: shown on each of its tickets in the desk."),
    )
    # Who knows this customer: routing gives them its tickets first (tickets.routing).
    expert = models.ForeignKey(
        "User",
        verbose_name=_("own expert"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_for",
        limit_choices_to=~models.Q(staff_role=""),
    )
    account_manager = models.ForeignKey(
        "User",
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_manager_for",
        limit_choices_to=~models.Q(staff_role=""),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class EmailDomain(models.Model):
    """A mail domain that belongs to one organisation (`acme.fi` → Acme)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class UserQuerySet(models.QuerySet["User"]):
    def staff_members(self) -> UserQuerySet:
        return self.exclude(staff_role="").filter(is_active=True)

    def contacts_of(self, organisation: Organisation) -> UserQuerySet:
        return self.filter(organisation=organisation, is_active=True)

    def main_users_of(self, organisation_id: int) -> UserQuerySet:
        """The active contacts who file requests and approve paid work for it."""
        return self.filter(
            organisation_id=organisation_id,
            customer_role=User.CustomerRole.MAIN_USER,
            is_active=True,
        )

    def on_call(self) -> UserQuerySet:
        return self.staff_members().filter(is_on_call=True)

    def with_phone(self, e164: str) -> UserQuerySet:
        """Active customer contacts whose card has this number (see `phones`)."""
        return self.filter(phone=e164, is_active=True, staff_role="")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def staff_members(self) -> UserQuerySet:
        return self.get_queryset().staff_members()

    def main_users_of(self, organisation_id: int) -> UserQuerySet:
        return self.get_queryset().main_users_of(organisation_id)

    def with_phone(self, e164: str) -> UserQuerySet:
        return self.get_queryset().with_phone(e164)

    def on_call(self) -> UserQuerySet:
        return self.get_queryset().on_call()

    def get_by_email(self, email: str) -> User | None:
        # get(), not first(): e-mail addresses are unique, so nothing needs ordering.
        try:
            return (
                self.get_queryset().select_related("organisation").get(email=normalize_email(email))
            )
        except self.model.DoesNotExist:
            return None

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("staff_role", User.StaffRole.ADMIN)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in or writes to support: staff members and customer contacts.

    A contact created from an e-mail has no usable password until they reset it.
    """

    class StaffRole(models.TextChoices):
        NONE = "", _("not staff")
        AGENT = "agent", _("agent")
        TEAM_LEAD = "team_lead", _("team lead")
        ADMIN = "admin", _("admin")

    class CustomerRole(models.TextChoices):
        MAIN_USER = "main_user", _("main user")
        USER = "user", _("ordinary user")

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # E.164 ("+358401234567") when it could be read as a number (see `phones`), so a
    # caller's number finds the card.
    phone = models.CharField(_("phone"), max_length=40, blank=True, db_index=True)
    staff_role = models.CharField(
        _("staff role"), max_length=20, choices=StaffRole.choices, default="", blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    customer_role = models.CharField(
        _("role in organisation"),
        max_length=20,
        choices=CustomerRole.choices,
        default=CustomerRole.USER,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Set when mail to this address bounced: staff see it before trusting the address.
    email_failed_at = models.DateTimeField(_("e-mail bounced"), null=True, blank=True)
    email_failure = models.CharField(_("bounce reason"), max_length=100, blank=True)
    # Main users are told about incidents that affect their organisation unless they opt out.
    receives_incident_notices = models.BooleanField(
        _("e-mails about service incidents"), default=True
    )
    # WCAG 2.1.4: single-character shortcuts (desk.keyboard) can be turned off per person.
    uses_keyboard_shortcuts = models.BooleanField(
        _("single-key shortcuts in the desk"), default=True
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    class Delivery(models.TextChoices):
        EMAIL = "email", _("by e-mail and in the desk")
        DESK = "desk", _("in the desk only")

    # Staff: how they hear of new tickets, assignments and customer replies.
    notification_delivery = models.CharField(
        _("notifications"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    # Staff on call are told of acute incidents at once, by e-mail whatever they chose.
    is_on_call = models.BooleanField(_("on call"), default=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        self.phone = normalise_phone(self.phone) or self.phone.strip()
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        """Django admin access for every staff member. What they see there follows their
        permissions: admins everything, agents the help-center articles they write."""
        return self.is_agent

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.staff_role == self.StaffRole.ADMIN

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        return self.is_admin or super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_admin or super().has_module_perms(app_label)

    @property
    def is_agent(self) -> bool:
        """Any staff member who works tickets (agent, team lead, admin)."""
        return self.is_active and self.staff_role != ""

    @property
    def is_main_user(self) -> bool:
        return (
            self.organisation_id is not None and self.customer_role == self.CustomerRole.MAIN_USER
        )

    @property
    def name_and_email(self) -> str:
        return f"{self.display_name} <{self.email}>" if self.display_name else self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email


class Team(LocalizedName):
    """A group of staff that tickets are routed to (Support, Billing, …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("team address"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="teams",
        blank=True,
        limit_choices_to=~models.Q(staff_role=""),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")


class PasswordResetRequest(models.Model):
    """One request for a password-reset link, kept for an hour to limit mails per address.

    The address is stored only as a keyed digest: the table does not collect the addresses
    strangers type, and is written the same way whether an account has the address or not.
    """

    address_digest = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self) -> str:
        return f"{self.address_digest[:8]}… {self.requested_at:%Y-%m-%d %H:%M}"


class BrowserSession(models.Model):
    """One browser signed in as a person, tied to its Django session by key, so the person
    sees where they are signed in and can end it (see `browser_sessions`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="browser_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    browser = models.CharField(_("browser"), max_length=100, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=100, blank=True)
    device = models.CharField(_("device"), max_length=100, blank=True)
    # The client address cut to its network (IPv4 /24, IPv6 /48): enough to recognise, no more.
    network = models.CharField(_("network"), max_length=50, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_active_at = models.DateTimeField(_("last active"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        ordering = ["-last_active_at", "-pk"]
        verbose_name = _("signed-in browser")
        verbose_name_plural = _("signed-in browsers")

    def __str__(self) -> str:
        return f"{self.user_id} {self.browser} {self.network}"
