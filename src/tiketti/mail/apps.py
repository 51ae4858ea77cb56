from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "tiketti.mail"
    label = "mail"
