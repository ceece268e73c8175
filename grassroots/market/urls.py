"""The market-supervision platform's staff pages, under /market/."""

from django.urls import path

from .views import entities

app_name = "market"

urlpatterns = [
    path("", entities.entity_list, name="entities"),
    path("entities/<int:entity_id>/", entities.entity_page, name="entity"),
    path("entities/<int:entity_id>/risk/", entities.risk_override, name="risk_override"),
    path("import/", entities.import_page, name="import"),
]
