"""The platform's staff pages, under /enforcement/."""

from django.urls import include, path

from .views import figures, powers

app_name = "enforcement"

urlpatterns = [
    path("powers/", include(powers.urlpatterns)),
    path("figures/", include(figures.urlpatterns)),
]
