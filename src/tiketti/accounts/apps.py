from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tiketti.accounts"
    label = "accounts"
