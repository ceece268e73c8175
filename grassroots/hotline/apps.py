from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "grassroots.hotline"
    label = "hotline"
    verbose_name = "12345 转办"

    def ready(self) -> None:
        from grassroots.workflow.timers import register_tick_job

        from .sending import hotline_tick
        from .steps import register_labels

        register_labels()
        register_tick_job("12345 转办", hotline_tick)
