from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tiketti.api"
    label = "api"
