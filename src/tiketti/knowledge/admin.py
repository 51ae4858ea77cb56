"""Writing articles: Markdown in the admin, with the sanitized result shown as a preview."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import Textarea
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import index
from .models import (
    Article,
    ArticleAttachment,
    ArticleTranslation,
    Deflection,
    Feedback,
    SearchLog,
    Section,
)


class AgentsWrite:
    """Every staff member writes help articles (MISSION R20); the rest of the admin
    stays with the permissions it needs."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_agent", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_agent", False))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(getattr(request.user, "is_agent", False))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_agent", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_agent", False))


@admin.register(Section)
class SectionAdmin(AgentsWrite, admin.ModelAdmin[Section]):
    list_display = ["slug", "name_en", "name_fi", "name_pl", "position"]
    list_editable = ["position"]


class TranslationInline(AgentsWrite, admin.StackedInline[ArticleTranslation, Article]):
    model = ArticleTranslation
    extra = 0
    min_num = 1
    fields = ["language", "title", "body_markdown", "preview"]
    readonly_fields = ["preview"]
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 16, "class": "markdown-editor"})}
    }

    @admin.display(description=_("preview (after saving)"))
    def preview(self, obj: ArticleTranslation) -> SafeString:
        if not obj.pk:
            return format_html("<p>{}</p>", _("Save to see the preview."))
        # body_html is sanitized with nh3 when the translation is saved.
        return mark_safe(f'<div class="article-preview">{obj.body_html}</div>')  # noqa: S308


class AttachmentInline(AgentsWrite, admin.TabularInline[ArticleAttachment, Article]):
    model = ArticleAttachment
    extra = 0
    fields = ["file", "filename", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


@admin.register(Article)
class ArticleAdmin(AgentsWrite, admin.ModelAdmin[Article]):
    list_display = ["slug", "section", "kind", "status", "is_internal", "last_reviewed_on"]
    list_filter = ["status", "kind", "is_internal", "section"]
    search_fields = ["slug", "translations__title"]
    inlines = [TranslationInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["section", "slug", "kind", "status", "is_internal", "position"]}),
        (_("Video"), {"fields": ["video_url"]}),
        (_("Contextual help"), {"fields": ["help_keys", "url_patterns"]}),
        (_("Review"), {"fields": ["last_reviewed_on"]}),
    ]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is ArticleAttachment:
            for attachment in formset.save(commit=False):
                upload = attachment.file
                attachment.filename = attachment.filename or upload.name.rsplit("/", 1)[-1]
                attachment.size = upload.size or 0
                attachment.content_type = (
                    getattr(getattr(upload, "file", None), "content_type", "")
                    or attachment.content_type
                )
                attachment.save()
            for removed in formset.deleted_objects:
                removed.delete()
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index.reindex_article(form.instance)


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin[SearchLog]):
    list_display = ["query", "language", "source", "result_count", "created_at"]
    list_filter = ["source", "language"]
    date_hierarchy = "created_at"


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ["article", "language", "is_helpful", "created_at"]
    list_filter = ["is_helpful", "language"]


@admin.register(Deflection)
class DeflectionAdmin(admin.ModelAdmin[Deflection]):
    list_display = ["article", "language", "channel", "query", "created_at"]
    list_filter = ["channel", "language"]
