from django.contrib import admin

from .models import Contract, Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "monthly_support_minutes", "hourly_rate", "priority_credits"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin[Contract]):
    list_display = ["organisation", "plan", "starts_on", "ends_on", "is_trial"]
    list_filter = ["plan", "is_trial"]
