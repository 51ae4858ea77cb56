from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the product: the worker, periodic jobs, demo data."""

    name = "tiketti.operations"
    label = "operations"
