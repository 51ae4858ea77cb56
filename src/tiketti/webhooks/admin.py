from django.contrib import admin

from .models import Webhook, WebhookAttempt, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ["url", "events", "is_active", "consecutive_failure_count", "disabled_reason"]
    list_filter = ["is_active"]
    exclude = ["secret"]


class WebhookAttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["attempted_at", "response_status", "error"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["created_at", "webhook", "event", "status", "attempt_count", "response_status"]
    list_filter = ["status", "event"]
    readonly_fields = ["uuid", "body", "last_error"]
    inlines = [WebhookAttemptInline]
