from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.ticket_list, name="ticket-list"),
    path("new/", views.ticket_new, name="ticket-new"),
    path("<str:number>/", views.ticket_detail, name="ticket-detail"),
    path("<str:number>/messages/<int:message_id>/", views.message_whole, name="message-whole"),
    path("<str:number>/close/", views.ticket_close, name="ticket-close"),
    path("<str:number>/quotes/<int:quote_id>/", views.quote_decide, name="quote-decide"),
]
