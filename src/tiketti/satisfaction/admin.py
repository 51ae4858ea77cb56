from django.contrib import admin

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ["ticket", "rating", "rated_at", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["ticket"]
    readonly_fields = ["nonce", "rated_at", "commented_at", "created_at", "expires_at"]
