"""The governance platform's staff pages, under /governance/: the disputes (矛盾纠纷), the grid worker's phone
report of one under /governance/m/, and the petitions (信访)."""

from django.urls import include, path

from . import petition_urls
from .views import dispute_phone, disputes

app_name = "governance"

urlpatterns = [
    path("disputes/", include(disputes.urlpatterns)),
    path("m/disputes/", include(dispute_phone.urlpatterns)),
    path("petitions/", include(petition_urls.urlpatterns)),
]
