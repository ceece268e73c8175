from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("map/", views.map_page, name="map"),
    path("map/grids.geojson", views.map_grids, name="map_grids"),
    path("map/events.geojson", views.map_events, name="map_events"),
]
