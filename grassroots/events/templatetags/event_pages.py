"""Template filters of the command-room pages: working time as people say it, labels for lights and actions."""

from typing import Any

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


@register.filter
def route_label(key: str | None) -> str:
    """A route's Chinese name (`routes.py`); 研判 while the leaders have not decided."""
    from ..routes import LEADERS
    from ..routes import route_label as label

    if key == LEADERS:
        return str(_("待领导研判"))
    return label(key) if key else ""


@register.simple_tag
def feedback_state(event: Any) -> dict[str, str]:
    """双反馈 in words, for the event page: the command room's end and the reporter's."""
    from ..services.routing import feedback_missing, reporter_needs_feedback

    missing = feedback_missing(event)
    command = _("已反馈") if "command" not in missing else _("待反馈")
    if event.reporter_declined:
        reporter = _("反映人谢绝联系")
    elif event.reporter_informed_at is not None:
        reporter = _("已反馈")
    elif not reporter_needs_feedback(event):
        reporter = _("无需回访（工作人员上报或匿名，结案时自动通知）")
    else:
        reporter = _("待反馈")
    return {"command": str(command), "reporter": str(reporter), "complete": "" if missing else "1"}
