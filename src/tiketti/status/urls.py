from django.urls import path

from . import views

app_name = "status"
urlpatterns = [
    path("", views.status_page, name="page"),
    path("notices/", views.notices, name="notices"),
    path("tickets/<str:number>/link/", views.link_ticket, name="link-ticket"),
    path("tickets/<str:number>/unlink/", views.unlink_ticket, name="unlink-ticket"),
]
