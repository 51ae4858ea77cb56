from contextlib import suppress

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiketti.localized_names import LocalizedNameForm

from .models import EmailDomain, Organisation, Team, User
from .two_factor import remaining_backup_codes, remove_second_factor

# django-otp's own admin pages show each device's secret (an admin could copy someone's
# second factor) and fail on a missing device; admins remove a second factor from the
# list of people instead (recorded in the audit log).
for device_model in (TOTPDevice, StaticDevice):
    with suppress(NotRegistered):
        admin.site.unregister(device_model)


class EmailDomainInline(admin.TabularInline[EmailDomain, Organisation]):
    model = EmailDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "language", "time_zone", "expert", "account_manager"]
    search_fields = ["name", "domains__domain"]
    inlines = [EmailDomainInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "organisation",
        "customer_role",
        "staff_role",
        "second_factor",
    ]
    list_filter = ["staff_role", "customer_role", "language", "is_active"]
    search_fields = ["email", "display_name", "organisation__name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("display_name", "language", "phone")}),
        (_("Customer"), {"fields": ("organisation", "customer_role", "receives_incident_notices")}),
        (
            _("Staff"),
            {
                "fields": (
                    "staff_role",
                    "is_active",
                    "is_superuser",
                    "is_on_call",
                    "notification_delivery",
                )
            },
        ),
        (_("Sign-in"), {"fields": ("second_factor_status",)}),
    )
    readonly_fields = ("second_factor_status",)
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    actions = ["remove_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_app=Exists(app))

    @admin.display(boolean=True, description=_("second factor"))
    def second_factor(self, person: User) -> bool:
        return bool(getattr(person, "has_app", False))

    @admin.display(description=_("second factor"))
    def second_factor_status(self, person: User) -> str:
        if person.pk is None or not getattr(person, "has_app", False):
            return gettext("Not set up.")
        count = remaining_backup_codes(person)
        return format_html(
            '{} <a href="{}">{}</a>',
            ngettext(
                "Authenticator app, %(count)d backup code left.",
                "Authenticator app, %(count)d backup codes left.",
                count,
            )
            % {"count": count},
            reverse("admin:accounts_user_remove_second_factor", args=[person.pk]),
            gettext("Remove the second factor…"),
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:user_id>/second-factor/remove/",
                self.admin_site.admin_view(self.remove_second_factor_view),
                name="accounts_user_remove_second_factor",
            )
        ]
        return own + super().get_urls()

    def remove_second_factor_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        """Confirm, then remove one person's second factor (recorded in the audit log)."""
        person = get_object_or_404(User, pk=user_id)
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        if request.method == "POST":
            actor = request.user
            assert isinstance(actor, User)
            remove_second_factor(user=person, actor=actor)
            self.message_user(
                request,
                gettext("Second factor removed for %(person)s; their sessions ended.")
                % {"person": person},
            )
            return redirect("admin:accounts_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Remove the second factor"),
            "person": person,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/accounts/user/remove_second_factor.html", context)

    @admin.action(
        description=_("Remove the second factor (they set up a new one)"),
        permissions=["change"],
    )
    def remove_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        for person in queryset:
            remove_second_factor(user=person, actor=actor)
        self.message_user(
            request,
            ngettext(
                "Second factor removed for %(count)d person.",
                "Second factor removed for %(count)d people.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "email"]
    form = LocalizedNameForm
    exclude = ["name_translations"]
    filter_horizontal = ["members"]
