from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "grassroots.draws"
    label = "draws"
    verbose_name = "双随机、一公开"
