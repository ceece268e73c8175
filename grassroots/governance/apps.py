from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "grassroots.governance"
    label = "governance"
    verbose_name = "综治工作"

    def ready(self) -> None:
        from . import registry

        registry.register()
