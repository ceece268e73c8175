"""Template filters of the command-room pages: working time as people say it, labels for lights and actions."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.workcal.calendar import days_text, get_calendar

from .. import rules
from ..choices import Status

register = template.Library()

LIGHT_LABELS = {"red": _("红灯（超期）"), "yellow": _("黄灯（预警）"), "green": _("绿灯（正常）")}


def working_duration_text(seconds: int | None, *, day_seconds: int | None = None) -> str:
    """Working seconds as “1天2小时”, “3小时15分” or “40分”, where a day is one working day (7.5 h by default)."""
    if not seconds or seconds <= 0:
        return "—"
    day = day_seconds or get_calendar().day_seconds
    days, rest = divmod(int(seconds), day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    return f"{minutes}分" if minutes else gettext("不足1分")


@register.filter
def working_duration(seconds: int | None) -> str:
    return working_duration_text(seconds)


@register.filter
def days(value: object) -> str:
    return days_text(value)


@register.filter
def light_label(light: str | None) -> str:
    return str(LIGHT_LABELS.get(light or "", _("无时限")))


@register.filter
def status_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def action_label(action: str) -> str:
    return rules.ACTION_LABELS.get(action, action)
