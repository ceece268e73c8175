"""The platform's staff pages, under /service/."""

from django.urls import include, path

from .views import catalogue, figures

app_name = "convenience"

urlpatterns = [
    path("catalogue/", include(catalogue.urlpatterns)),
    path("figures/", include(figures.urlpatterns)),
]
