from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in person sees their own language, whatever the browser says.

    Anonymous visitors get LocaleMiddleware's choice (language cookie, then browser).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


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
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
