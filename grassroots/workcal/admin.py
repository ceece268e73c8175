"""The calendar override table, with a reminder of the years the calendar is only guessing."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from grassroots.core.admin import AuditedModelAdmin

from .calendar import get_calendar, local_today
from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "GET":
            # Only the years a deadline set today can reach; later ones will be published in time.
            year = local_today().year
            assumed = sorted(get_calendar().assumed_years & {year, year + 1})
            if assumed:
                messages.warning(
                    request,
                    _(
                        "%(years)s 年没有法定节假日数据，目前按“周一至周五上班、周末休息”推算。"
                        "请在此录入该年的节假日和调休上班日。"
                    )
                    % {"years": "、".join(str(y) for y in assumed)},
                )
        return super().changelist_view(request, extra_context)
