from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Help-center articles, their search, and suggestions while customers type."""

    name = "tiketti.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
