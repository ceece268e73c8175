from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "grassroots.hotline"
    label = "hotline"
    verbose_name = "12345 转办"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from grassroots.events.routes import Route, register_route
        from grassroots.workflow.timers import register_tick_job

        from .sending import hotline_tick
        from .steps import HAND_OFF, HOTLINE_ROUTE, register_labels

        register_labels()
        # Seed 003's fifth route: beyond the township, out to the 12345 platform; the leaders' 研判 may choose it.
        register_route(
            Route(HOTLINE_ROUTE, _("转12345平台"), HAND_OFF, _("超出乡镇职能，转12345政务服务热线平台办理"))
        )
        register_tick_job("12345 转办", hotline_tick)
