from contextlib import suppress

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiketti.localized_names import LocalizedNameForm

from .models import EmailDomain, Organisation, Team, User
from .two_factor import remove_second_factor

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
    list_display = ["email", "display_name", "organisation", "customer_role", "staff_role"]
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
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    actions = ["remove_second_factor"]

    @admin.action(description=_("Remove the second factor (they set up a new one)"))
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
