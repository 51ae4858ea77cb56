from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.entitlement_list, name="entitlement-list"),
    path("<int:entitlement_id>/", views.slot_picker, name="slot-picker"),
    path("booked/<int:booking_id>/", views.booking_detail, name="booking-detail"),
]
