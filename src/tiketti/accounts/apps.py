from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tiketti.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .two_factor import remember_requirement

        user_logged_in.connect(remember_requirement, dispatch_uid="accounts.second_factor")
