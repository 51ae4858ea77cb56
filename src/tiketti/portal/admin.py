from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User
from tiketti.tickets.errors import TicketError

from . import public_requests
from .models import AgencyApproval, PendingRequest


@admin.register(PendingRequest)
class PendingRequestAdmin(admin.ModelAdmin[PendingRequest]):
    list_display = ("created_at", "kind", "status", "email", "customer", "subject", "ticket")
    list_filter = ("kind", "status")
    search_fields = ("email", "name", "subject", "organisation_name")
    readonly_fields = ("ticket", "decided_by", "decided_at", "reason", "status")
    actions = ("confirm_agency", "decline_agency")

    @admin.action(description=_("Confirm the agency (files the request)"))
    def confirm_agency(self, request: HttpRequest, queryset: QuerySet[PendingRequest]) -> None:
        self._decide(request, queryset, confirm=True)

    @admin.action(description=_("Decline the agency"))
    def decline_agency(self, request: HttpRequest, queryset: QuerySet[PendingRequest]) -> None:
        self._decide(request, queryset, confirm=False)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[PendingRequest], *, confirm: bool
    ) -> None:
        assert isinstance(request.user, User)
        waiting = queryset.filter(
            kind=PendingRequest.Kind.AGENCY, status=PendingRequest.Status.WAITING
        ).select_related("customer")
        for pending in waiting:
            try:
                public_requests.decide_agency(pending, actor=request.user, confirm=confirm)
            except (TicketError, public_requests.BadLink) as error:
                self.message_user(request, f"{pending}: {error}", messages.ERROR)


@admin.register(AgencyApproval)
class AgencyApprovalAdmin(admin.ModelAdmin[AgencyApproval]):
    list_display = ("agency_email", "organisation", "is_confirmed", "decided_by", "decided_at")
    list_filter = ("is_confirmed",)
    search_fields = ("agency_email", "organisation__name")
