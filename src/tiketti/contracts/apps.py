from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "tiketti.contracts"
    label = "contracts"
