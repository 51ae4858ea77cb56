"""The one-click rating links from the e-mail: no login, the signed token is the key."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tiketti.tickets.errors import TicketError

from . import services


# The signed token authenticates the request (there is no session to forge one for).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            survey = services.add_comment(token=token, comment=request.POST.get("comment", ""))
            commented = True
        else:
            survey = services.record_rating(token=token)
            commented = False
    except TicketError as error:
        return render(request, "satisfaction/closed.html", {"error": error.message}, status=410)
    with translation.override(survey.ticket.requester.language or None):
        return render(
            request,
            "satisfaction/rated.html",
            {"survey": survey, "token": token, "commented": commented or bool(survey.comment)},
        )
