from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "grassroots.geo"
    label = "geo"
