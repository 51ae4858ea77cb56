from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

# The language a logged-in person picked in the header for the pages of this session. Their
# stored language (what their e-mails are written in) changes only on the profile page.
PAGE_LANGUAGE_SESSION_KEY = "page_language"


class UserLanguageMiddleware:
    """A logged-in person sees the language they picked in the header for this session,
    else their own stored language, whatever the browser says.

    Anonymous visitors get LocaleMiddleware's choice (language cookie, then browser).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(PAGE_LANGUAGE_SESSION_KEY) or user.language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
