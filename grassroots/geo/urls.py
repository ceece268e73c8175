from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("basemap.geojson", views.basemap_features, name="basemap_features"),
]
