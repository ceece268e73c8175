"""Plan completion and daily-report timeliness (计划完成率、巡查上报及时率) per unit and officer for a period; each
figure comes with the records it counted, so a number on a page opens its list.

- planned: the monthly plans' shares of the months inside the period; a year whose months are not derived counts
  its yearly shares when the whole year lies inside the period.
- done: the inspections (`checked`) of the daily reports of days inside the period, of the unit (and officer).
- completion rate: min(done, planned) / planned — no rate above 100% (DOMAIN.md §8); empty when nothing planned.
- timeliness: reports on time / reports of days inside the period; late reports counted apart.
"""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..models import DailyReport, PlanShare


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@dataclass(frozen=True)
class Completion:
    planned: int
    done: int
    shares: QuerySet[PlanShare]  # what `planned` counted
    reports: QuerySet[DailyReport]  # what `done` counted

    @property
    def rate(self) -> float | None:
        return rate(min(self.done, self.planned), self.planned)


@dataclass(frozen=True)
class Timeliness:
    reports: int
    late: int
    records: QuerySet[DailyReport]  # every report counted
    late_records: QuerySet[DailyReport]

    @property
    def on_time(self) -> int:
        return self.reports - self.late

    @property
    def rate(self) -> float | None:
        return rate(self.on_time, self.reports)


def _months_inside(first: dt.date, last: dt.date) -> Q:
    """Monthly plans whose whole month lies in [first, last]; yearly plans of whole years inside without months."""
    q = Q(pk__in=[])
    for year in range(first.year, last.year + 1):
        months = [
            m
            for m in range(1, 13)
            if dt.date(year, m, 1) >= first
            and (dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(1)) <= last
        ]
        if months:
            q |= Q(plan__year=year, plan__month__in=months)
        if len(months) == 12:
            q |= Q(plan__year=year, plan__month__isnull=True) & ~Q(plan__months__isnull=False)
    return q


def planned_shares(*, unit: Unit, first: dt.date, last: dt.date, officer: Any = None) -> QuerySet[PlanShare]:
    shares = PlanShare.objects.filter(_months_inside(first, last), plan__unit=unit)
    if officer is not None:
        shares = shares.filter(officer=officer)
    return shares.distinct().order_by("plan__year", "plan__month", "officer_id")


def counted_reports(
    *, unit: Unit, first: dt.date, last: dt.date, officer: Any = None
) -> QuerySet[DailyReport]:
    reports = DailyReport.objects.filter(unit=unit, day__gte=first, day__lte=last)
    if officer is not None:
        reports = reports.filter(officer=officer)
    return reports.order_by("day", "officer_id", "pk")


def plan_completion(*, unit: Unit, first: dt.date, last: dt.date, officer: Any = None) -> Completion:
    """Inspections planned and reported in the period, for the unit or one of its officers."""
    shares = planned_shares(unit=unit, first=first, last=last, officer=officer)
    reports = counted_reports(unit=unit, first=first, last=last, officer=officer)
    planned = PlanShare.objects.filter(pk__in=shares.values("pk")).aggregate(n=Sum("target"))["n"] or 0
    done = reports.aggregate(n=Sum("checked"))["n"] or 0
    return Completion(planned=planned, done=done, shares=shares, reports=reports)


def report_timeliness(*, unit: Unit, first: dt.date, last: dt.date, officer: Any = None) -> Timeliness:
    """Reports of days in the period and how many came after their 24 hours."""
    records = counted_reports(unit=unit, first=first, last=last, officer=officer)
    late_records = records.filter(late=True)
    return Timeliness(
        reports=records.count(), late=late_records.count(), records=records, late_records=late_records
    )


@dataclass(frozen=True)
class BulletinRow:
    officer_id: int | None  # None: the unit's total
    name: str
    planned: int
    done: int
    reports: int
    late: int

    @property
    def rate(self) -> float | None:
        return rate(min(self.done, self.planned), self.planned)

    @property
    def timeliness(self) -> float | None:
        return rate(self.reports - self.late, self.reports)

    @property
    def rate_text(self) -> str:
        return percent(self.rate)

    @property
    def timeliness_text(self) -> str:
        return percent(self.timeliness)


def bulletin_rows(*, unit: Unit, first: dt.date, last: dt.date) -> list[BulletinRow]:
    """The quarterly bulletin (季度通报): one row per officer planned or reporting in the period, then the total.
    Four queries whatever the number of officers."""
    shares = planned_shares(unit=unit, first=first, last=last)
    planned = dict(
        PlanShare.objects.filter(pk__in=shares.values("pk"))
        .values("officer")
        .annotate(n=Sum("target"))
        .values_list("officer", "n")
    )
    reports = counted_reports(unit=unit, first=first, last=last).order_by()
    done: dict[int, tuple[int, int, int]] = {}
    for officer_id, checked, late in reports.values_list("officer", "checked", "late"):
        n, count, late_n = done.get(officer_id, (0, 0, 0))
        done[officer_id] = (n + checked, count + 1, late_n + int(late))
    names = dict(Person.objects.filter(pk__in=set(planned) | set(done)).values_list("pk", "name"))
    rows = [
        BulletinRow(
            officer_id=pk,
            name=names.get(pk, str(pk)),
            planned=planned.get(pk, 0),
            done=done.get(pk, (0, 0, 0))[0],
            reports=done.get(pk, (0, 0, 0))[1],
            late=done.get(pk, (0, 0, 0))[2],
        )
        for pk in sorted(set(planned) | set(done), key=lambda pk: names.get(pk, ""))
    ]
    total = BulletinRow(
        officer_id=None,
        name="合计",
        planned=sum(r.planned for r in rows),
        done=sum(r.done for r in rows),
        reports=sum(r.reports for r in rows),
        late=sum(r.late for r in rows),
    )
    return [*rows, total]


def quarter_of(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BULLETIN_HEADERS = ["执法人员", "计划检查数", "完成检查数", "完成率", "上报次数", "逾期上报", "上报及时率"]


def bulletin_export(*, actor: Any, unit: Unit, year: int, quarter: int) -> bytes:
    """The quarterly bulletin as a workbook, one row per officer and the total; audited like every export."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from grassroots.audit.services import audit_record

    first, last = quarter_of(year, quarter)
    rows = bulletin_rows(unit=unit, first=first, last=last)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{year}年第{quarter}季度"
    sheet.append([f"{unit.name} {year}年第{quarter}季度执法计划完成情况通报"])
    sheet.append([f"统计期间 {first:%Y-%m-%d} 至 {last:%Y-%m-%d}"])
    sheet.append(BULLETIN_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [row.name, row.planned, row.done, row.rate_text, row.reports, row.late, row.timeliness_text]
        )
    sheet.column_dimensions["A"].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action="plan_bulletin.export",
        obj=unit,
        detail={"year": year, "quarter": quarter, "rows": len(rows) - 1},
    )
    return buffer.getvalue()
