from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tiketti.tickets"
    label = "tickets"
