"""System check: warn the administrator when this year or next runs on a guessed calendar (DOMAIN.md §6)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .calendar import PACKAGE_YEARS, local_today, years_without_data


def check_calendar_years(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """workcal.W001: the current or next year has neither chinesecalendar data nor a local override."""
    today = local_today()
    years = [today.year, today.year + 1]
    try:
        missing = years_without_data(years=years)
    except DatabaseError:
        # Before the first migrate there is no override table, hence no overrides: the package decides alone.
        missing = [year for year in years if year not in PACKAGE_YEARS]
    if not missing:
        return []
    return [
        Warning(
            _("%(years)s 年没有法定节假日数据，工作日暂按“周一至周五上班、周末休息”推算，办理时限可能不准。")
            % {"years": "、".join(str(year) for year in missing)},
            hint=_("请在管理后台“工作日历调整”中录入该年的节假日和调休上班日，或升级 chinesecalendar 包。"),
            id="workcal.W001",
        )
    ]
