from django.contrib import admin
from django.http import HttpRequest

from .models import InboundMessage, Mailbox, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    list_display = ["to", "subject", "status", "attempt_count", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject", "message_id"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ["name", "address", "team", "category", "is_active", "last_fetch_succeeded_at"]
    readonly_fields = [
        "oauth_access_token",
        "oauth_expires_at",
        "last_fetch_started_at",
        "last_fetch_succeeded_at",
        "last_fetch_error",
    ]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["received_at", "sender", "subject", "status", "reason", "via", "ticket"]
    list_filter = ["status", "via", "mailbox"]
    search_fields = ["sender", "subject", "message_id"]
    exclude = ["raw"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name != "raw"]

    # Received mail comes in through intake only, and is never lost: it is read here,
    # handled on the desk's received-mail page (process again, discard), never added
    # by hand (an empty form made an empty message) nor deleted.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: InboundMessage | None = None
    ) -> bool:
        return False
