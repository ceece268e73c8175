"""`manage.py rollups rebuild|advance|refresh|check`: keep the daily counts, and prove them against the raw rows."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.assessment.areas import Area
from grassroots.assessment.choices import PeriodKind
from grassroots.assessment.periods import period_of, period_parse
from grassroots.core.errors import InvalidInput
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division

from ... import build
from ...check import NotReady, compare
from ...grain import local_day


class Command(BaseCommand):
    help = "日汇总：rebuild 全部重算；advance 汇总已结束的日子；refresh 处理待汇总的变更；check 与原始记录逐项核对"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "advance", "refresh", "check"])
        parser.add_argument(
            "--period", action="append", default=[], help="统计周期，如 2025、2025-06、2025-Q2（可多次）"
        )
        parser.add_argument(
            "--area", action="append", default=[], help="区域代码（6 或 9 位；可多次；默认全部及每个区县）"
        )

    def handle(self, *args: Any, action: str, period: list[str], area: list[str], **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        if action == "rebuild":
            days = build.rebuild(progress=self._progress)
            self.stdout.write(f"已重算 {days} 天，汇总至 {build.through()}")
        elif action == "advance":
            days = build.advance(progress=self._progress)
            self.stdout.write(f"新汇总 {days} 天，汇总至 {build.through()}")
        elif action == "refresh":
            self.stdout.write(f"已处理 {build.refresh_all()} 个事件的变更")
        else:
            self._check(period, area)

    def _progress(self, day: dt.date) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"  汇总至 {day}")

    def _check(self, period_keys: list[str], area_codes: list[str]) -> None:
        try:
            periods = [period_parse(key) for key in period_keys] or default_periods()
        except InvalidInput as refused:
            raise CommandError(refused.message) from None
        areas = [Area(code, code) for code in area_codes] or default_areas()
        checked = 0
        for period in periods:
            for area in areas:
                try:
                    differences = compare(period=period, area=area)
                except NotReady as refused:
                    raise CommandError(str(refused)) from None
                checked += 1
                if differences:
                    raise CommandError(
                        f"{period.key} {area.code or '全部'}：汇总与原始记录不一致，共 {len(differences)} 处；"
                        f"第一处：{differences[0]}"
                    )
        self.stdout.write(f"一致：{checked} 组（周期 × 区域），汇总至 {build.through()}")


def default_periods() -> list[Any]:
    """This year and the year before, and each of the last 13 months."""
    today = local_day(dt.datetime.now(dt.UTC))
    years = [
        period_of(PeriodKind.YEAR, today),
        period_of(PeriodKind.YEAR, today.replace(year=today.year - 1)),
    ]
    months, day = [], today
    for _ in range(13):
        month = period_of(PeriodKind.MONTH, day)
        months.append(month)
        day = month.first - dt.timedelta(days=1)
    return years + months


def default_areas() -> list[Area]:
    districts = Division.objects.filter(level=DivisionLevel.DISTRICT, valid_to__isnull=True).order_by("code")
    return [Area("", "全部")] + [Area(d.code, d.name) for d in districts]
