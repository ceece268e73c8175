"""Units in which a time limit is counted, and the status light shown against it (DOMAIN.md §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LimitUnit(models.TextChoices):
    """How a time limit is counted (时限单位)."""

    WORKING_HOURS = "working_hours", _("工作时")  # only the configured daily windows on working days count
    WORKING_DAYS = (
        "working_days",
        _("工作日"),
    )  # one working day = the sum of the daily windows (7.5 h by default)
    NATURAL_DAYS = "natural_days", _("自然日")  # wall-clock days: nights, weekends and holidays count too


class StatusLight(models.TextChoices):
    """The traffic light against a limit (时限灯)."""

    GREEN = "green", _("绿灯")  # up to 80% of the limit used
    YELLOW = "yellow", _("黄灯")  # more than 80%, not yet overdue
    RED = "red", _("红灯")  # overdue
