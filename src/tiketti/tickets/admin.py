from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from .models import (
    Category,
    CategoryField,
    PriorityMatrixEntry,
    ScopeAnswer,
    Ticket,
    TicketEvent,
)


class CategoryFieldInline(admin.StackedInline[CategoryField, Category]):
    model = CategoryField
    extra = 0
    fields = [
        ("name", "kind", "is_required", "prefill", "position"),
        ("label_en", "label_fi", "label_pl"),
        ("help_en", "help_fi", "help_pl"),
        "choices",
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = [
        "slug",
        "name_en",
        "name_fi",
        "name_pl",
        "team",
        "is_active",
        "is_out_of_scope",
        "position",
    ]
    list_editable = ["position", "is_active"]
    inlines = [CategoryFieldInline]


@admin.register(ScopeAnswer)
class ScopeAnswerAdmin(admin.ModelAdmin[ScopeAnswer]):
    list_display = ["title_en", "title_fi", "title_pl", "position"]
    list_editable = ["position"]


@admin.register(PriorityMatrixEntry)
class PriorityMatrixEntryAdmin(admin.ModelAdmin[PriorityMatrixEntry]):
    list_display = ["impact", "urgency", "priority"]
    list_editable = ["priority"]
    list_filter = ["impact", "urgency"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["number", "subject", "requester", "organisation", "status", "priority"]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["number", "subject", "requester__email"]
    readonly_fields = ["number", "created_at", "updated_at", "version"]
    raw_id_fields = ["requester", "assignee"]
    filter_horizontal = ["cc"]

    def save_model(
        self, request: HttpRequest, obj: Ticket, form: ModelForm[Ticket], change: bool
    ) -> None:
        obj.set_priority(obj.priority)  # the queue's sort key follows the priority
        super().save_model(request, obj, form, change)


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin[TicketEvent]):
    list_display = ["ticket", "kind", "old_value", "new_value", "actor", "created_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
