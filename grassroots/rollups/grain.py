"""What a rollup row is keyed by, and the moments and days it is counted in.

A row holds one relation's counts for one township (`region`, the first nine digits of the event's region code)
and one local day, split by the grain keys: township, village, grid, platform and unit. Every subject kind the
figures group by but the person (a reporter or verifier: as many as the events, so read from the raw rows) is a
column of the grain or, for the district, a prefix of the region.
"""

import datetime as dt
from typing import Any

from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.assessment import figures as fig
from grassroots.assessment.choices import SubjectKind
from grassroots.assessment.indicators import COUNTS, Relation, Window

from .models import COUNT_NAMES

GRAIN_KINDS = {
    "township_id": SubjectKind.TOWNSHIP,
    "village_id": SubjectKind.VILLAGE,
    "grid_id": SubjectKind.GRID,
    "platform": SubjectKind.PLATFORM,
    "unit_id": SubjectKind.UNIT,
}
# The subject kinds a rollup can group by, and the column (or expression) that names them.
KIND_COLUMNS: dict[str, Any] = {
    SubjectKind.TOWNSHIP: F("township_id"),
    SubjectKind.VILLAGE: F("village_id"),
    SubjectKind.GRID: F("grid_id"),
    SubjectKind.PLATFORM: F("platform"),
    SubjectKind.UNIT: F("unit_id"),
    SubjectKind.DISTRICT: Substr("region", 1, 6),
}
# The kinds the summary rows (no village or grid) can group by.
SUMMARY_KINDS = {SubjectKind.TOWNSHIP, SubjectKind.PLATFORM, SubjectKind.UNIT, SubjectKind.DISTRICT}
REGION_DIGITS = 9


class SystemViewer:
    """The rollups count every event: a viewer whose scope is everything (as a superuser's)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    id = None


SYSTEM = SystemViewer()


def names_of(relation: str) -> list[str]:
    return [n for n in COUNT_NAMES if COUNTS[n].relation == relation]


def grain_keys(relation: str) -> dict[str, Any]:
    """The raw relation's expressions for the region and every grain key it has (a verification or a reopening
    names no unit)."""
    field = "region_code" if relation == Relation.EVENT else "event__region_code"
    keys: dict[str, Any] = {"region": Substr(field, 1, REGION_DIGITS)}
    for column, kind in GRAIN_KINDS.items():
        expression = fig.key_expr(relation, kind)
        if expression is not None:
            keys[column] = expression
    return keys


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def day_window(day: dt.date, as_of: dt.datetime) -> Window:
    return Window(start=day_start(day), end=day_start(day + dt.timedelta(days=1)), as_of=as_of)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)
