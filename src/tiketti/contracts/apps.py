from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "tiketti.contracts"
    label = "contracts"

    def ready(self) -> None:
        from . import merging

        merging.connect()
