from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "tiketti.mail"
    label = "mail"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
