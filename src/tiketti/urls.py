from django.contrib import admin
from django.urls import include, path

from tiketti.api.endpoints import api
from tiketti.portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("tiketti.accounts.urls")),
    path("requests/", include("tiketti.portal.urls")),
    path("request/", include("tiketti.portal.public_urls")),
    path("bookings/", include("tiketti.contracts.urls")),
    path("desk/", include("tiketti.desk.urls")),
    path("help/", include("tiketti.knowledge.urls")),
    path("status/", include("tiketti.status.urls")),
    path("rate/", include("tiketti.satisfaction.urls")),
    path("privacy/", include("tiketti.privacy.urls")),
    path("", include("tiketti.tickets.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# A request too large to read is answered with 413 and the limit, not a bare 400.
handler400 = "tiketti.tickets.views.bad_request"
