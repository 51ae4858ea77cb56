"""The public privacy page: what Tiketti stores, why, for how long, and how to ask."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiketti.accounts.middleware import public_page


@public_page
@require_GET
def privacy_page(request: HttpRequest) -> HttpResponse:
    context = {"retention_months": settings.TIKETTI_RETENTION_MONTHS}
    return render(request, "privacy/page.html", context)
