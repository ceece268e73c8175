"""The platform's public pages, under /s/: no login, no personal data."""

from django.urls import include, path

from .views import figures, guide, public

app_name = "public_service"

urlpatterns = [
    path("track/", public.track, name="track"),
    path("rate/<str:token>/", public.rate_link, name="rate"),
    path("ratings/", figures.public_ratings, name="ratings"),
    path("guide/", include(guide.urlpatterns)),
]
