from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.help_home, name="home"),
    path("search/", views.search, name="search"),
    path("assistant/", views.assistant, name="assistant"),
    path("assistant/solved/", views.solved, name="solved"),
    path("context/", views.context_help, name="context"),
    path("report/", views.report, name="report"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path(
        "attachments/<int:attachment_id>/<str:filename>",
        views.download_attachment,
        name="attachment",
    ),
    path("<slug:slug>/", views.section_detail, name="section"),
]
