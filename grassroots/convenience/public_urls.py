"""The platform's public pages, under /s/: no login, no personal data."""

from django.urls import include, path

from .views import guide

app_name = "public_service"

urlpatterns = [
    path("guide/", include(guide.urlpatterns)),
]
