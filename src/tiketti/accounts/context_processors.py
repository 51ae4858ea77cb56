from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    # Not `site_name`: Django's auth views put the request's host there.
    return {"product_name": settings.TIKETTI_SITE_NAME}
