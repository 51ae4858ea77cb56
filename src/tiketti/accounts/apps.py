from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tiketti.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save

        from . import browser_sessions
        from .models import User
        from .two_factor import remember_requirement

        user_logged_in.connect(remember_requirement, dispatch_uid="accounts.second_factor")
        user_logged_in.connect(
            browser_sessions.remember_sign_in, dispatch_uid="accounts.browser_session"
        )
        user_logged_out.connect(
            browser_sessions.forget_sign_out, dispatch_uid="accounts.browser_session"
        )
        post_save.connect(
            browser_sessions.end_others_after_password_change,
            sender=User,
            dispatch_uid="accounts.password_ends_sessions",
        )
