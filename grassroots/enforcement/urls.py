"""The platform's staff pages, under /enforcement/."""

from django.urls import include, path

from .views import cases, powers

app_name = "enforcement"

urlpatterns = [
    path("powers/", include(powers.urlpatterns)),
    path("cases/", include(cases.urlpatterns)),
    path("operations/", include("grassroots.enforcement.views.operations")),
]
