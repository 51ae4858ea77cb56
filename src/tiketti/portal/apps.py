from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tiketti.portal"
    label = "portal"
