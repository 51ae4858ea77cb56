"""Incidents in the Django admin. Changes go through the services: a new update posted
here tells customers and, when it resolves the incident, answers the linked tickets."""

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from tiketti.accounts.models import User

from . import services
from .models import Incident, IncidentTicket, IncidentUpdate


class IncidentUpdateInline(admin.StackedInline[IncidentUpdate, Incident]):
    model = IncidentUpdate
    extra = 1
    fields = ["state", "text_en", "text_fi", "text_pl", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # what customers were told stays as told

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IncidentTicketInline(admin.TabularInline[IncidentTicket, Incident]):
    model = IncidentTicket
    extra = 0
    raw_id_fields = ["ticket"]
    readonly_fields = ["linked_by", "linked_at", "answered_at"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin[Incident]):
    list_display = ["title_en", "state", "started_at", "resolved_at", "is_sla_exempt"]
    list_filter = ["state", "is_sla_exempt"]
    search_fields = ["title_en", "title_fi", "title_pl"]
    filter_horizontal = ["organisations", "products"]
    readonly_fields = ["state", "resolved_at", "sla_exempted_by", "sla_exempted_at", "created_by"]
    fields = [
        "title_en",
        "title_fi",
        "title_pl",
        "state",
        "started_at",
        "resolved_at",
        "organisations",
        "products",
        "is_sla_exempt",
        "sla_exempted_by",
        "sla_exempted_at",
        "created_by",
    ]
    inlines = [IncidentUpdateInline, IncidentTicketInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Incident, form: ModelForm[Incident], change: bool
    ) -> None:
        actor = request.user
        assert isinstance(actor, User)
        if not change:
            obj.created_by = actor
        if "is_sla_exempt" in form.changed_data:
            wanted = obj.is_sla_exempt
            obj.is_sla_exempt = not wanted
            services.record_exemption(incident=obj, actor=actor, is_sla_exempt=wanted)
        super().save_model(request, obj, form, change)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Incident],
        formset: BaseInlineFormSet[Any, Incident, Any],
        change: bool,
    ) -> None:
        if formset.model is not IncidentUpdate:
            for instance in formset.save(commit=False):
                if isinstance(instance, IncidentTicket) and instance.pk is None:
                    instance.linked_by = request.user
                instance.save()
            formset.save_m2m()
            for deleted in formset.deleted_objects:
                deleted.delete()
            return
        actor = request.user
        assert isinstance(actor, User)
        incident = form.instance
        for update in formset.save(commit=False):
            texts = {"en": update.text_en, "fi": update.text_fi, "pl": update.text_pl}
            if change:
                services.post_update(
                    incident=incident, author=actor, state=update.state, texts=texts
                )
            else:
                update.author = actor
                update.save()
        if not change:
            services.announce_opened(incident=incident)
