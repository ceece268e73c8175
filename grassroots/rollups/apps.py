from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "grassroots.rollups"
    label = "rollups"
    verbose_name = "日汇总"

    def ready(self) -> None:
        from grassroots.assessment.figures import register_reader
        from grassroots.workflow.timers import register_tick_job

        from .build import rollups_tick
        from .read import rollup_cube

        register_tick_job("日汇总", rollups_tick)
        register_reader(rollup_cube)
