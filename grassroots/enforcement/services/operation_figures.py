"""Figures of joint operations for a period and an area or unit: how many, by month, and their results (places
inspected, problems found, cases opened, rectified). Each figure comes with the queryset of the operations it counts,
so a page can open the records behind the number (drill-down).

Counted: operations not cancelled whose first day falls in the period, led by or joined by a unit located in the
region (a division-code prefix) and, when a unit is given, led or joined by that unit. Results are the sums of what
the units recorded on the counted operations; with a unit given, that unit's own results only.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet, Sum

from grassroots.core.scope import code_prefix_q
from grassroots.org.models import Unit

from ..models.operations import RESULT_FIELDS, JointOperation, OperationStatus, OperationUnit

RESULT_LABELS = {
    "places_inspected": "检查场所（户次）",
    "problems_found": "发现问题",
    "cases_opened": "立案查处",
    "rectified": "整改到位",
}


class Figure(NamedTuple):
    value: int
    operations: QuerySet[JointOperation]  # the records behind the number


@dataclass(frozen=True)
class Period:
    """The first and last day of the period (both counted), an area and a unit; `kind` narrows to one kind."""

    start: dt.date
    end: dt.date
    region: str = ""  # a division-code prefix; "" is everywhere
    unit: Unit | None = None
    kind: str = ""


def counted(period: Period) -> QuerySet[JointOperation]:
    """The operations a figure of `period` counts."""
    rows = JointOperation.objects.exclude(status=OperationStatus.CANCELLED).filter(
        starts_on__gte=period.start, starts_on__lte=period.end
    )
    if period.kind:
        rows = rows.filter(kind=period.kind)
    where = Q()
    if period.region:
        where &= code_prefix_q("lead_unit__division__code", period.region) | code_prefix_q(
            "participants__unit__division__code", period.region
        )
    if period.unit is not None:
        where &= Q(lead_unit=period.unit) | Q(participants__unit=period.unit)
    if where:
        rows = rows.filter(pk__in=JointOperation.objects.filter(where).values("pk"))
    return rows.order_by("starts_on", "pk")


def operations_count(period: Period) -> Figure:
    rows = counted(period)
    return Figure(rows.count(), rows)


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month the period touches."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def operations_by_month(period: Period) -> list[tuple[dt.date, Figure]]:
    """Per month of the period (its first day), the operations that began in it."""
    rows = counted(period)
    by_month: dict[tuple[int, int], int] = {}
    for day in rows.values_list("starts_on", flat=True):
        by_month[(day.year, day.month)] = by_month.get((day.year, day.month), 0) + 1
    result = []
    for month in months_of(period.start, period.end):
        last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        in_month = rows.filter(starts_on__gte=max(month, period.start), starts_on__lte=min(last, period.end))
        result.append((month, Figure(by_month.get((month.year, month.month), 0), in_month)))
    return result


def results_totals(period: Period) -> dict[str, Figure]:
    """Each result summed over the counted operations (one query), with the operations that contributed to it."""
    rows = counted(period)
    recorded = OperationUnit.objects.filter(operation__in=rows.values("pk"))
    if period.unit is not None:
        recorded = recorded.filter(unit=period.unit)
    sums = recorded.aggregate(**{name: Sum(name) for name in RESULT_FIELDS})
    return {
        name: Figure(
            int(sums[name] or 0),
            rows.filter(pk__in=recorded.filter(**{f"{name}__gt": 0}).values("operation_id")),
        )
        for name in RESULT_FIELDS
    }
