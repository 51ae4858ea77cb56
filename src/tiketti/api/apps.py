from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tiketti.api"
    label = "api"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
