from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "tiketti.desk"
    label = "desk"
