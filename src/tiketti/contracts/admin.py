from django.contrib import admin

from tiketti.localized_names import LocalizedNameForm

from .models import Booking, Contract, Entitlement, Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "monthly_support_minutes", "hourly_rate", "priority_credits"]
    form = LocalizedNameForm
    exclude = ["name_translations"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin[Contract]):
    list_display = ["organisation", "plan", "starts_on", "ends_on", "is_trial"]
    list_filter = ["plan", "is_trial"]


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin[Entitlement]):
    list_display = ["name", "plan", "kind", "duration_minutes", "within_days", "once"]
    list_filter = ["plan", "kind"]
    form = LocalizedNameForm
    exclude = ["name_translations"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    """Cancelling a booking (is_cancelled) frees the time and a `once` entitlement."""

    list_display = ["entitlement", "organisation", "starts_at", "staff", "is_cancelled"]
    list_filter = ["is_cancelled", "entitlement__kind"]
    raw_id_fields = ["ticket"]
    date_hierarchy = "starts_at"
