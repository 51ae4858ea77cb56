"""The admin's privacy buttons on people: download a person's data, erase a person.

The people admin belongs to `accounts`, which knows nothing of tickets; this app, which
knows every app's data, extends it with the two buttons rather than the other way round.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiketti.accounts.admin import UserAdmin
from tiketti.accounts.models import User

from .erasure import ErasureRefused, erase_person, is_erased
from .export import export_json, record_export


def _check_admin(request: HttpRequest) -> User:
    actor = request.user
    if not isinstance(actor, User) or not actor.is_admin:
        raise PermissionDenied
    return actor


class PrivacyUserAdmin(UserAdmin):
    change_form_template = "admin/privacy/user_change_form.html"
    actions = [*UserAdmin.actions, "export_personal_data", "erase_personal_data"]

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/privacy/export/",
                self.admin_site.admin_view(self.export_view),
                name="privacy-export",
            ),
            path(
                "<int:pk>/privacy/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="privacy-erase",
            ),
        ]
        return own + super().get_urls()

    def _one(self, request: HttpRequest, queryset: QuerySet[User]) -> User | None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one person."), messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description=gettext_lazy("Download personal data (JSON)"))
    def export_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponseBase | None:
        person = self._one(request, queryset)
        return redirect("admin:privacy-export", pk=person.pk) if person else None

    @admin.action(description=gettext_lazy("Erase personal data…"))
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponseBase | None:
        person = self._one(request, queryset)
        return redirect("admin:privacy-erase", pk=person.pk) if person else None

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = _check_admin(request)
        person = get_object_or_404(User, pk=pk)
        response = HttpResponse(export_json(person), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
        record_export(person, actor=actor, via="admin")
        return response

    def erase_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = _check_admin(request)
        person = get_object_or_404(User, pk=pk)
        error = ""
        if request.method == "POST":
            if request.POST.get("confirm", "").strip().lower() != person.email:
                error = _("Type the person's e-mail address exactly to confirm.")
            else:
                try:
                    counts = erase_person(person=person, actor=actor)
                except ErasureRefused as refusal:
                    error = str(refusal)
                else:
                    self.message_user(
                        request,
                        _(
                            "The person was erased: %(messages)d message(s) replaced, "
                            "%(attachments)d attachment(s) and %(raw)d stored e-mail(s) deleted, "
                            "%(tickets)d ticket(s) kept for statistics."
                        )
                        % {
                            "messages": counts.messages,
                            "attachments": counts.attachments,
                            "raw": counts.raw_emails,
                            "tickets": counts.tickets,
                        },
                    )
                    return redirect(reverse("admin:accounts_user_change", args=[person.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "person": person,
            "already_erased": is_erased(person),
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/erase_confirm.html", context)


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
