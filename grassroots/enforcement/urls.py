"""The platform's staff pages, under /enforcement/."""

from django.urls import include, path

from .views import phone, plans, powers

app_name = "enforcement"

urlpatterns = [
    path("powers/", include(powers.urlpatterns)),
    path("plans/", include(plans.urlpatterns)),
    path("m/", include(phone.urlpatterns)),
]
