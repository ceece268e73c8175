from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "grassroots.dashboard"
    label = "dashboard"
    verbose_name = "总览与地图"
