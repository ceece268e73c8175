"""The public report page, mounted at /report/ (config/urls.py)."""

from django.urls import path

from . import pages

app_name = "report"
urlpatterns = [
    path("", pages.report, name="report"),
    path("attributes/", pages.attributes, name="attributes"),
    path("grids.json", pages.grids, name="grids"),
    path("track/", pages.track, name="track"),
    path("track/<str:token>/", pages.track_token, name="track_token"),
]
