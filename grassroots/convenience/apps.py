from django.apps import AppConfig


class ConvenienceConfig(AppConfig):
    name = "grassroots.convenience"
    label = "convenience"
    verbose_name = "便民服务"

    def ready(self) -> None:
        from . import registry

        registry.register()
