"""The command-room pages, mounted at /command/."""

from django.urls import path

from . import views
from .views import intake as intake_views

app_name = "events"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.queue_bulk, name="bulk"),
    path("export/", views.queue_export, name="queue_export"),
    path("filters/", views.saved_filter_save, name="filter_save"),
    path("filters/<int:filter_id>/delete/", views.saved_filter_delete, name="filter_delete"),
    path("events/<int:event_id>/", views.event_page, name="detail"),
    path("events/<int:event_id>/act/<slug:action>/", views.event_act, name="act"),
    path("desk/", views.desk, name="desk"),
    path("intake/", intake_views.intake, name="intake"),
    path("intake/candidates/", intake_views.intake_candidates, name="intake_candidates"),
    path("intake/places/", intake_views.intake_places, name="intake_places"),
]
