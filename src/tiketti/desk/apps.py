from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "tiketti.desk"
    label = "desk"

    def ready(self) -> None:
        from tiketti.tickets.history import register_names
        from tiketti.tickets.models import TicketEvent

        from .macros import macro_name

        register_names(TicketEvent.Kind.MACRO, macro_name)
