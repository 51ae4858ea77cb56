from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path(
        "attachments/<uuid:key>/<str:filename>",
        views.download_attachment,
        name="attachment",
    ),
]
