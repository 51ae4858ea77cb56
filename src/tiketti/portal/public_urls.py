from django.urls import path

from . import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.public_request, name="request"),
    path("confirm/<str:token>/", public_views.public_confirm, name="confirm"),
    path("agency/", public_views.agency_request, name="agency"),
    path("agency/<str:token>/", public_views.agency_decide, name="agency-decide"),
]
