"""The market-supervision platform's staff pages, under /market/."""

from django.urls import path

from .views import credit, entities, figures, inspections

app_name = "market"

urlpatterns = [
    path("", entities.entity_list, name="entities"),
    path("entities/<int:entity_id>/", entities.entity_page, name="entity"),
    path("entities/<int:entity_id>/risk/", entities.risk_override, name="risk_override"),
    path("entities/<int:entity_id>/credit/", credit.credit_page, name="credit"),
    path("entities/<int:entity_id>/credit/export.xlsx", credit.credit_download, name="credit_export"),
    path("import/", entities.import_page, name="import"),
    path("inspections/", inspections.task_list, name="inspections"),
    path("inspections/new/", inspections.arrange, name="arrange"),
    path("inspections/<int:inspection_id>/", inspections.inspection_page, name="inspection"),
    path("inspections/<int:inspection_id>/act/<str:action>/", inspections.act, name="inspection_act"),
    path(
        "inspections/<int:inspection_id>/photos/<int:photo_id>/", inspections.photo, name="inspection_photo"
    ),
    path("figures/", figures.index, name="figures"),
    path("figures/records/", figures.figure_rows, name="figure_rows"),
]
