from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User

from .describe import describe
from .models import AuditEntry
from .services import record_audit

# How many of the deleted objects an entry names; the count is always exact.
BULK_DELETE_NAMED = 100


# Django's own wording, already translated.
DELETE_SELECTED_LABEL = getattr(django_delete_selected, "short_description")  # noqa: B009


@admin.action(permissions=["delete"], description=DELETE_SELECTED_LABEL)
def delete_selected(
    modeladmin: admin.ModelAdmin[Model], request: HttpRequest, queryset: QuerySet[Model]
) -> HttpResponse | None:
    """The admin's own "delete selected", recorded in the audit log: Django logs a bulk
    deletion with bulk_create, which sends no signal, so the entry is written here."""
    confirmed = bool(request.POST.get("post"))
    # Evaluated before Django's action, which then reuses the rows (no second query).
    doomed = [(str(obj.pk), str(obj)[:200]) for obj in queryset] if confirmed else []
    response = django_delete_selected(modeladmin, request, queryset)
    # One object goes through LogEntry.save(), which the receivers already record.
    if confirmed and response is None and len(doomed) > 1:
        actor = request.user if isinstance(request.user, User) else None
        record_audit(
            AuditEntry.Action.ADMIN_BULK_DELETED,
            actor=actor,
            target_type=modeladmin.model._meta.label_lower,
            target_label=str(modeladmin.model._meta.verbose_name_plural),
            details={
                "count": len(doomed),
                "objects": [{"id": pk, "label": label} for pk, label in doomed[:BULK_DELETE_NAMED]],
            },
        )
    return response


admin.site.add_action(delete_selected, "delete_selected")


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
