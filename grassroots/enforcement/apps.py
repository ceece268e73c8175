from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "grassroots.enforcement"
    label = "enforcement"
    verbose_name = "综合执法"

    def ready(self) -> None:
        from . import registry

        registry.register()
