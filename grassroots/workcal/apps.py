from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, post_save


class WorkcalConfig(AppConfig):
    name = "grassroots.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from .calendar import on_override_changed
        from .checks import check_calendar_years
        from .models import CalendarOverride

        post_save.connect(on_override_changed, sender=CalendarOverride, dispatch_uid="workcal.override_saved")
        post_delete.connect(
            on_override_changed, sender=CalendarOverride, dispatch_uid="workcal.override_deleted"
        )
        # A deployment check: `manage.py check --deploy` and the admin show it, not every command.
        checks.register(check_calendar_years, deploy=True)
