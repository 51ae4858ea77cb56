from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in person sees their own language, whatever the browser says.

    Anonymous visitors get LocaleMiddleware's choice (language cookie, then browser).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is logged in: leave the session untouched, so a
        # public page (the status page) stays cacheable and sets no cookie.
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        user = getattr(request, "user", None) if has_session else None
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
