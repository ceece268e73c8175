"""Reads of joint operations with rules in them: the list's filters, the operations of a month, and the month's
calendar (each day with the operations under way on it)."""

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from grassroots.core.errors import InvalidInput

from ..models.operations import JointOperation, OperationKind, OperationStatus


def month_bounds(text: str) -> tuple[dt.date, dt.date]:
    """ "2026-07" → its first and last day; a bad month is a 422 `month_invalid`."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        raise InvalidInput("月份应为 YYYY-MM", code="month_invalid", details={"month": text}) from None
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def overlapping(rows: QuerySet[JointOperation], start: dt.date, end: dt.date) -> QuerySet[JointOperation]:
    """The operations whose period shares at least a day with start–end."""
    return rows.filter(starts_on__lte=end, ends_on__gte=start)


@dataclass(frozen=True)
class OperationFilters:
    """The list page's filters: a unit (lead or taking part), a kind, a state, a month (YYYY-MM)."""

    unit: str = ""
    kind: str = ""
    status: str = ""
    month: str = ""

    @classmethod
    def from_query(cls, query: Any, *, today: dt.date) -> "OperationFilters":
        kind = query.get("kind", "")
        status = query.get("status", "")
        month = query.get("month", "")
        try:
            month_bounds(month)
        except InvalidInput:
            month = f"{today:%Y-%m}"
        return cls(
            unit=query.get("unit", "").strip(),
            kind=kind if kind in OperationKind.values else "",
            status=status if status in OperationStatus.values else "",
            month=month,
        )

    def apply(self, rows: QuerySet[JointOperation]) -> QuerySet[JointOperation]:
        if self.unit:
            rows = rows.filter(
                pk__in=JointOperation.objects.filter(participants__unit__code=self.unit).values("pk")
            )
        if self.kind:
            rows = rows.filter(kind=self.kind)
        if self.status:
            rows = rows.filter(status=self.status)
        return rows


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    operations: list[JointOperation]


def month_calendar(rows: QuerySet[JointOperation], month: str) -> tuple[dt.date, list[list[CalendarDay]]]:
    """The month's weeks (Monday first), each day with the operations of `rows` under way on it; one query."""
    first, last = month_bounds(month)
    shown = list(overlapping(rows, first, last).select_related("lead_unit").order_by("starts_on", "pk"))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                CalendarDay(
                    day=day,
                    in_month=day.month == first.month,
                    operations=[o for o in shown if o.starts_on <= day <= o.ends_on],
                )
                for day in week
            ]
        )
    return first, weeks


def neighbour_months(first: dt.date) -> tuple[str, str]:
    before = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    after = (first + dt.timedelta(days=32)).replace(day=1).strftime("%Y-%m")
    return before, after
