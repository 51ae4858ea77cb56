from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

# The language a logged-in person picked in the header for the pages of this session. Their
# stored language (what their e-mails are written in) changes only on the profile page.
PAGE_LANGUAGE_SESSION_KEY = "page_language"


def signed_in(request: HttpRequest) -> bool:
    """Whether a person is signed in to this request's session. Without a session cookie
    nobody is, and the session is not even read: a public page (the status page, the help
    center) then says neither `Vary: Cookie` nor sets one, and caches may keep it."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and bool(user.is_authenticated)


class UserLanguageMiddleware:
    """A logged-in person sees the language they picked in the header for this session,
    else their own stored language, whatever the browser says.

    Anonymous visitors get LocaleMiddleware's choice (language cookie, then browser).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if signed_in(request):
            user = getattr(request, "user")  # noqa: B009  # Tiketti's User: has a language
            language = request.session.get(PAGE_LANGUAGE_SESSION_KEY) or user.language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class BrowserSessionMiddleware:
    """Keeps the signed-in browser's "last active" time (see `browser_sessions.touch`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if signed_in(request):
            from .browser_sessions import touch

            touch(request, getattr(request, "user"))  # noqa: B009  # Tiketti's User
        return self.get_response(request)


def public_page[V: Callable[..., HttpResponse]](view: V) -> V:
    """Mark a view whose page is the same for every visitor (the help center): caches may
    keep what it shows to someone not logged in."""
    view.is_public_page = True  # type: ignore[attr-defined]
    return view


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything private: every page a logged-in person sees,
    every API answer, the desk, the admin and the portal's own pages.

    The rule is default-deny: only a view marked `@public_page`, seen by a visitor who is
    not logged in, keeps its own caching headers. Static files never reach this middleware
    (WhiteNoise answers them first), so they stay cacheable too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.is_public(request):
            response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def is_public(request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is None or not getattr(match.func, "is_public_page", False):
            return False
        return not signed_in(request)


# Pages a signed-in person reaches before their second factor is checked.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:set-language",
        "accounts:two-factor-verify",
        "accounts:two-factor-setup",
        "accounts:sso-start",
        "accounts:sso-callback",
    }
)


class SecondFactorMiddleware:
    """Nothing opens to a person who needs a second factor until this session has given
    one: pages send them to the code page (or, staff without an app yet, to set one up),
    session use of the API gets 403 `second_factor_required`. Bearer tokens are a separate
    credential and pass (after django-otp's OTPMiddleware has marked the session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        from .two_factor import has_second_factor, session_requires_second_factor

        if not signed_in(request):
            return None
        user = getattr(request, "user")  # noqa: B009  # django-otp's, with is_verified()
        if user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if "HTTP_AUTHORIZATION" in request.META and request.path.startswith("/api/"):
            return None
        if not session_requires_second_factor(request, user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "second_factor_required",
                    "message": _("Sign in with your second factor first."),
                },
                status=403,
            )
        target = (
            "accounts:two-factor-verify" if has_second_factor(user) else "accounts:two-factor-setup"
        )
        return redirect_to_login(request.get_full_path(), login_url=reverse(target))
