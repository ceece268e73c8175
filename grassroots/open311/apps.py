from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "grassroots.open311"
    label = "open311"
    verbose_name = "Open311 与公众上报"
