from django.contrib import admin

from tiketti.localized_names import TRANSLATION_FIELDS, LocalizedNameForm

from .models import BusinessCalendar, SlaPolicy


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin[BusinessCalendar]):
    list_display = ["name", "description"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = [
        "name",
        "position",
        "is_active",
        "first_response_target",
        "next_response_target",
        "resolution_target",
    ]
    list_editable = ["position", "is_active"]
    form = LocalizedNameForm
    fieldsets = [
        (None, {"fields": ["name", *TRANSLATION_FIELDS, "position", "is_active"]}),
        ("Matches", {"fields": ["plans", "priorities", "categories", "paid_priority"]}),
        (
            "Targets",
            {
                "fields": [
                    ("first_response_target", "first_response_calendar"),
                    ("next_response_target", "next_response_calendar"),
                    ("resolution_target", "resolution_calendar"),
                ]
            },
        ),
        (
            "Escalation",
            {
                "fields": [
                    "warn_at_percent",
                    "raise_priority_on_breach",
                    "reassign_to_lead_on_breach",
                ]
            },
        ),
    ]
