"""The platform's staff pages, under /enforcement/, and the officers' phone under /enforcement/m/."""

from django.urls import include, path

from .views import cases, figures, operations, phone, plans, powers

app_name = "enforcement"

urlpatterns = [
    path("powers/", include(powers.urlpatterns)),
    path("cases/", include(cases.urlpatterns)),
    path("operations/", include(operations.urlpatterns)),
    path("plans/", include(plans.urlpatterns)),
    path("figures/", include(figures.urlpatterns)),
    path("m/", include(phone.urlpatterns)),
]
