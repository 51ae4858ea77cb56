from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .describe import describe
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only and searchable: nobody adds, changes or deletes audit entries."""

    list_display = ["created_at", "actor_label", "action", "summary", "ip_address"]
    list_filter = ["action", "created_at"]
    search_fields = ["actor_label", "target_label", "target_id", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = False
    readonly_fields = (
        "created_at",
        "actor_label",
        "action",
        "summary",
        "target_type",
        "target_id",
        "target_label",
        "ip_address",
        "details",
    )
    fields = readonly_fields

    @admin.display(description=_("what happened"))
    def summary(self, entry: AuditEntry) -> str:
        return describe(entry)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
