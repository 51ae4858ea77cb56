from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tiketti.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
