from django.urls import path

from . import actions, calls, keyboard, merging, triage, triage_views, views
from .reports import views as report_views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", actions.bulk, name="bulk"),
    path("views/", actions.view_save, name="view-save"),
    path("views/<int:view_id>/delete/", actions.view_delete, name="view-delete"),
    path("new/", calls.new_ticket, name="new-ticket"),
    path("new/caller/", calls.caller_lookup, name="call-caller"),
    path("tickets/<str:number>/", views.ticket_detail, name="ticket-detail"),
    path("tickets/<str:number>/reply/", views.ticket_reply, name="ticket-reply"),
    path("tickets/<str:number>/presence/", views.ticket_presence, name="ticket-presence"),
    path("tickets/<str:number>/macro/", actions.macro_insert, name="ticket-macro"),
    path("tickets/<str:number>/properties/", views.ticket_properties, name="ticket-properties"),
    path(
        "tickets/<str:number>/messages/<int:message_id>/redact/",
        views.message_redact,
        name="message-redact",
    ),
    path(
        "tickets/<str:number>/messages/<int:message_id>/original.eml",
        views.message_original,
        name="message-original",
    ),
    path(
        "tickets/<str:number>/messages/<int:message_id>/whole/",
        views.message_whole,
        name="message-whole",
    ),
    path("tickets/<str:number>/accept/", views.ticket_accept, name="ticket-accept"),
    path("tickets/<str:number>/merge/", merging.ticket_merge, name="ticket-merge"),
    path("tickets/<str:number>/split/", merging.ticket_split, name="ticket-split"),
    path("tickets/<str:number>/time/", views.ticket_time, name="ticket-time"),
    path("tickets/<str:number>/quotes/", views.ticket_quote, name="ticket-quote"),
    path("tickets/<str:number>/decline/", views.ticket_decline, name="ticket-decline"),
    path("tickets/<str:number>/idea/", triage_views.ticket_idea, name="ticket-idea"),
    path("ideas/", triage_views.idea_list, name="ideas"),
    path("ideas/<int:idea_id>/", triage_views.idea_detail, name="idea-detail"),
    path("notices/", triage_views.notice_list, name="notices"),
    path("tickets/<str:number>/answers/", triage.ticket_answers, name="ticket-answers"),
    path(
        "tickets/<str:number>/out-of-scope/", triage.ticket_out_of_scope, name="ticket-out-of-scope"
    ),
    path("reports/", report_views.reports, name="reports"),
    path("keyboard/", keyboard.shortcut_setting, name="keyboard-shortcuts"),
    path("mail/", views.mail_queue, name="mail-queue"),
    path("mail/<int:inbound_id>/", views.mail_detail, name="mail-detail"),
    path("mail/<int:inbound_id>/original.eml", views.mail_original, name="mail-original"),
    path("mail/<int:inbound_id>/retry/", views.mail_retry, name="mail-retry"),
    path("mail/<int:inbound_id>/discard/", views.mail_discard, name="mail-discard"),
]
