"""Every answer under /api/ is JSON, also the ones Django or django-ninja make before an
endpoint runs: an unknown path (404), a method the path does not take (405), a request
Django refuses (400, 413) or an error outside the API's own handlers (500). Clients then
read one shape everywhere: `{"code": …, "message": …}`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "Cache-Control", "Vary")


def _code_and_message(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    status = response.status_code
    if status == 404:
        return "not_found", _("There is no such API endpoint. See /api/v1/docs.")
    if status == 405:
        allowed = response.get("Allow", "")
        return "method_not_allowed", _("%(method)s is not allowed here. Allowed: %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
    if status == 413:
        return "too_large", _("The request is too large.")
    if status == 400:
        return "bad_request", _("The request is not valid.")
    if status == 403:
        return "forbidden", _("You have no access to this.")
    if status >= 500:
        return "server_error", _("Something went wrong on our side.")
    return "error", _("The request failed.")


class ApiErrorsAsJson:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = _code_and_message(request, response)
        answer = JsonResponse({"code": code, "message": message}, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
