from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiketti.localized_names import LocalizedNameForm

from .models import (
    Attachment,
    Category,
    CategoryField,
    FileTypePolicy,
    Idea,
    PriorityMatrixEntry,
    RoutingRule,
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
        "handling",
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


@admin.register(FileTypePolicy)
class FileTypePolicyAdmin(admin.ModelAdmin[FileTypePolicy]):
    """One row: the support policy on attachments. Without it the defaults apply."""

    fields = ["blocked_extensions", "blocked_types", "allowed_extensions", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not FileTypePolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    """Read-only: admins see what arrived, and which files the type policy kept out."""

    list_display = ["filename", "ticket", "content_type", "size", "blocked_type", "created_at"]
    list_filter = [("blocked_type", admin.EmptyFieldListFilter), "content_type"]
    search_fields = ["filename", "ticket__number", "sha256"]
    list_select_related = ["ticket"]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RoutingRuleForm(LocalizedNameForm):
    class Meta:
        model = RoutingRule
        exclude = ["name_translations"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("assign") == RoutingRule.Assign.PERSON and not data.get("assignee"):
            self.add_error("assignee", _("Choose the person the rule assigns to."))
        if data.get("assignee") and data.get("assign") != RoutingRule.Assign.PERSON:
            self.add_error(
                "assign", _("Choose “the person chosen below” to assign to that person.")
            )
        if not (data.get("team") or data.get("assign") or data.get("set_category")):
            raise forms.ValidationError(
                _("Give the rule something to do: a category, a team or someone to assign to.")
            )
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    """Rules are tried in the order of their position (see tickets.routing)."""

    form = RoutingRuleForm
    list_display = ["name", "position", "is_active", "team", "assign", "set_category"]
    list_editable = ["position", "is_active"]
    ordering = ["position", "pk"]
    filter_horizontal = ["categories", "organisations", "mailboxes"]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "name_fi", "name_pl", "position", "is_active")}),
        (
            _("When"),
            {
                "description": _("Every condition that is set must hold; empty ones match all."),
                "fields": (
                    "categories",
                    "handling",
                    "organisations",
                    "mailboxes",
                    "keywords",
                    "language",
                ),
            },
        ),
        (_("Then"), {"fields": ("set_category", "team", "assign", "assignee")}),
    )


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin[Idea]):
    """The status changes in the desk (/desk/ideas/), which tells the requesters."""

    list_display = ["title", "status", "created_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status"]
