"""The governance platform's staff pages, under /governance/: the disputes (矛盾纠纷) and the grid worker's phone
report of one under /governance/m/."""

from django.urls import include, path

from .views import dispute_phone, disputes

app_name = "governance"

urlpatterns = [
    path("disputes/", include(disputes.urlpatterns)),
    path("m/disputes/", include(dispute_phone.urlpatterns)),
]
