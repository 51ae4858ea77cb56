from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    list_display = ["to", "subject", "status", "attempt_count", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject", "message_id"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
