from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import EmailDomain, Organisation, Team, User


class EmailDomainInline(admin.TabularInline[EmailDomain, Organisation]):
    model = EmailDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "language", "time_zone"]
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
        (_("Staff"), {"fields": ("staff_role", "is_active", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "email"]
    filter_horizontal = ["members"]
