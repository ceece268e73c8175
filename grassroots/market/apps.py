from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "grassroots.market"
    label = "market"
    verbose_name = "市场监管"

    def ready(self) -> None:
        from . import registry

        registry.register()
