"""The seeds' figures of joint operations beside the numbers computed from the records (`manage.py seed_figures`),
each computed with `services/operation_figures.py`, the code the figures pages use."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from grassroots.core.seed_figures import NO_RECORDS, SeedRow

from .models.operations import OperationKind
from .services.operation_figures import Period, counted, operations_by_month, operations_count

XITANG = "330421102"  # seed 000: 西塘镇
DISTRICT = "330421"  # the demo county (嘉善县), standing for seed 004's 上虞区
# Seed 000's 联合整治 were against bar touting, noise and unmarked prices, after meetings on bars and barbecues.
XITANG_THEMES = ("酒吧", "噪音", "明码标价", "烧烤")


def _year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months up to the end of this one."""
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    last = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def _last_july(today: dt.date) -> tuple[dt.date, dt.date]:
    year = today.year if today.month >= 7 else today.year - 1
    return dt.date(year, 7, 1), dt.date(year, 7, 31)


def operation_seed_rows(today: dt.date | None = None) -> list[SeedRow]:
    today = today or timezone.localdate()
    start, end = _year(today)
    year = Period(start, end, region=XITANG)
    themed = Q()
    for word in XITANG_THEMES:
        themed |= Q(title__contains=word)
    xitang = counted(Period(dt.date(2000, 1, 1), end, region=XITANG, kind=OperationKind.JOINT)).filter(themed)
    in_year = operations_count(year)
    july_start, july_end = _last_july(today)
    july = operations_count(Period(july_start, july_end, region=DISTRICT))
    months = [(m, f.value) for m, f in operations_by_month(year)]
    per_month = "、".join(f"{m.month}月 {n}" for m, n in months if n)
    window = f"{start:%Y-%m}至{end:%Y-%m}"
    return [
        SeedRow(
            "000",
            "西塘镇联合整治行动（酒吧拉客、噪音、明码标价等）",
            "10余次",
            str(xitang.count()) if xitang.exists() else NO_RECORDS,
            "西塘镇单位牵头或参与、名称含酒吧/噪音/明码标价/烧烤的联合执法，不含已取消"
            if xitang.exists()
            else "",
        ),
        SeedRow(
            "001",
            "一个镇一年的联合执法（九龙湖镇“今年以来60余次”）",
            "60余次",
            str(in_year.value) if in_year.value else NO_RECORDS,
            f"西塘镇{window}开始的联合执法和专项整治，不含已取消" if in_year.value else "",
        ),
        SeedRow(
            "004",
            "7月全区各乡镇（街道）联合执法行动",
            "52次",
            str(july.value) if july.value else NO_RECORDS,
            f"嘉善县各单位{july_start:%Y年}7月开始的行动；上虞区约二十个乡镇街道，演示县只有西塘镇有行动"
            if july.value
            else "",
        ),
        SeedRow(
            "004",
            "每月联合执法行动（西塘镇）",
            "52次/月（全区）",
            per_month or NO_RECORDS,
            f"{window}各月开始的行动次数" if per_month else "",
        ),
    ]
