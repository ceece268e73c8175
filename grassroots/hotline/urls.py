from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("events/<int:event_id>/hand-off/", views.hand_off, name="hand_off"),
]
