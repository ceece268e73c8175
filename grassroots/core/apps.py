from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the project's system checks)
