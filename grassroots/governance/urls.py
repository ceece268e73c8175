"""The governance platform's staff pages, under /governance/ (petitions here; the dispute pages join them)."""

from django.urls import include, path

from . import petition_urls

app_name = "governance"

urlpatterns = [
    path("petitions/", include(petition_urls.urlpatterns)),
]
