from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .sso import views as sso_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("language/", views.set_language, name="set-language"),
    path("two-factor/", views.two_factor_manage, name="two-factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("sso/start/", sso_views.SsoStartView.as_view(), name="sso-start"),
    path("sso/callback/", sso_views.SsoCallbackView.as_view(), name="sso-callback"),
    path("profile/", views.profile, name="profile"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session-end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions-end-others"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
]
