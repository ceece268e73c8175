"""The status light (红黄绿灯) of an event or an assignment: in Python for one row, and the same rule in SQL."""

import datetime as dt
from typing import Literal

from django.db.models import Q

Light = Literal["green", "yellow", "red"]
LIGHTS = ("green", "yellow", "red")


def light_of(
    *, overdue: bool, warn_at: dt.datetime | None, deadline: dt.datetime | None, now: dt.datetime
) -> Light | None:
    """Red when flagged overdue or past the deadline, yellow from the warning point (80%), else green.

    None when no clock runs (the stage has no deadline).
    """
    if overdue or (deadline is not None and now > deadline):
        return "red"
    if deadline is None:
        return None
    if warn_at is not None and now >= warn_at:
        return "yellow"
    return "green"


def light_q(light: str, now: dt.datetime) -> Q:
    """The events whose `light_of` is `light` at `now`, as a filter (the same rule, in SQL)."""
    red = Q(overdue=True) | Q(deadline__lt=now)
    if light == "red":
        return red
    running = Q(overdue=False, deadline__gte=now)
    if light == "yellow":
        return running & Q(warn_at__lte=now)
    return running & (Q(warn_at__isnull=True) | Q(warn_at__gt=now))
