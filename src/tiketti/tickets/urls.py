from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path(
        "attachments/<int:attachment_id>/<str:filename>",
        views.download_attachment,
        name="attachment",
    ),
]
