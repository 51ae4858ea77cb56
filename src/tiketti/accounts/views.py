from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import browser_sessions, sso, two_factor
from .forms import (
    EmailAuthenticationForm,
    LanguageForm,
    MailedPasswordResetForm,
    ProfileForm,
    SecondFactorForm,
)
from .middleware import PAGE_LANGUAGE_SESSION_KEY
from .models import BrowserSession, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context: dict[str, object] = super().get_context_data(**kwargs)
        context["sso_provider"] = sso.provider_name() if sso.is_enabled() else None
        return context


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):  # type: ignore[type-arg]
    """Change one's password while logged in (the old one is asked first); the session
    stays logged in, other sessions of the person end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your new password is saved.")

    def form_valid(self, form: Any) -> HttpResponse:
        old_key = self.request.session.session_key
        form.user._keep_session_key = old_key  # the others end (browser_sessions)
        response: HttpResponse = super().form_valid(form)
        # Django gave this session a new key: its row follows it.
        BrowserSession.objects.filter(session_key=old_key).update(
            session_key=self.request.session.session_key
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = MailedPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language of the pages only: a logged-in person's stored language (their
    e-mails) stays as it is until they change it on their profile page. A functional
    cookie remembers the choice for visitors: no tracking."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        request.session[PAGE_LANGUAGE_SESSION_KEY] = language
    _remember_language(response, language)
    return response


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """A person's own settings: the language of their e-mails (and pages) is chosen here."""
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(PAGE_LANGUAGE_SESSION_KEY, None)  # the pages follow it again
        translation.activate(user.language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.language)
        return response
    context = {
        "form": form,
        "browser_sessions": browser_sessions.active_sessions(user),
        "current_session_key": request.session.session_key,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    """Sign one of one's own browsers out (this one too: that is signing out)."""
    browser_session = get_object_or_404(BrowserSession, pk=session_id, user=_person(request))
    if browser_session.session_key == request.session.session_key:
        logout(request)
        return redirect("accounts:login")
    browser_sessions.end_session(browser_session)
    messages.success(request, _("That browser is signed out."))
    return redirect("accounts:profile")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = browser_sessions.end_sessions(_person(request), keep=request.session.session_key)
    messages.success(
        request,
        ngettext(
            "%(count)d other browser is signed out.",
            "%(count)d other browsers are signed out.",
            count,
        )
        % {"count": count},
    )
    return redirect("accounts:profile")


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return resolve_url(target)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    user = _person(request)
    if not two_factor.has_second_factor(user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error(
            "token",
            _("That code is not right, or it was used already. Wait a moment and try again."),
        )
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, type what it shows, keep the backup codes."""
    user = _person(request)
    if two_factor.has_second_factor(user) and not two_factor.is_verified(request):
        return redirect(f"{reverse('accounts:two-factor-verify')}?{request.GET.urlencode()}")
    device = two_factor.start_enrolment(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(
            user=user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            otp_login(request, device)
            request.session[two_factor.SESSION_KEY] = True
            shown = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/two_factor_backup_codes.html", shown)
        form.add_error("token", _("That code is not right. Check the app and try again."))
    context: dict[str, object] = {
        "form": form,
        "next": _next(request),
        "secret": two_factor.readable_secret(device),
        "qr_code": two_factor.qr_code_data_uri(device),
        "required": two_factor.is_second_factor_required(user),
    }
    return render(
        request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200
    )


@login_required
def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """A person's own second factor: set it up, get new backup codes, or (customers) turn it
    off with a current code."""
    user = _person(request)
    form = SecondFactorForm(request.POST or None)
    may_turn_off = not (user.is_agent and settings.TIKETTI_STAFF_2FA_REQUIRED)
    if request.method == "POST" and form.is_valid() and may_turn_off:
        if two_factor.verify_second_factor(user, form.cleaned_data["token"]) is not None:
            two_factor.remove_second_factor(user=user, actor=user)
            request.session[two_factor.SESSION_KEY] = False
            messages.success(request, _("Second factor turned off."))
            return redirect("accounts:two-factor")
        form.add_error("token", _("That code is not right. Check the app and try again."))
    context = {
        "form": form,
        "enabled": two_factor.has_second_factor(user),
        "backup_count": two_factor.remaining_backup_codes(user),
        "may_turn_off": may_turn_off,
    }
    return render(request, "accounts/two_factor.html", context)
