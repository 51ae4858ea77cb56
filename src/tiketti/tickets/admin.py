from django.contrib import admin

from .models import Category, Ticket, TicketEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["slug", "name_en", "name_fi", "name_pl", "team", "is_active", "position"]
    list_editable = ["position", "is_active"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["number", "subject", "requester", "organisation", "status", "priority"]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["number", "subject", "requester__email"]
    readonly_fields = ["number", "created_at", "updated_at", "version"]
    raw_id_fields = ["requester", "assignee"]
    filter_horizontal = ["cc"]


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin[TicketEvent]):
    list_display = ["ticket", "kind", "old_value", "new_value", "actor", "created_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
