from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "tiketti.sla"
    label = "sla"
