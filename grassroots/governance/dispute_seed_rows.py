"""The seeds' figures of 矛盾纠纷 beside the numbers computed from the records, for `manage.py seed_figures`:
seed 000 (Xitang mediated 800+ disputes) and seed 004 (Shangyu mediated 1,054 in July, 97.34% successfully). The
demo has no 上虞; its 西塘镇's latest July stands in for it, said in the row's note."""

import datetime as dt

from django.utils import timezone

from grassroots.core.scope import code_prefix_q
from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows
from grassroots.workcal.calendar import SHANGHAI

from .models import Dispute
from .services.dispute_figures import success_rate

XITANG = "330421102"  # seed 000: 西塘镇


def register() -> None:
    register_rows(seed_rows)


def _july(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The latest July that has begun."""
    year = today.year if today.month >= 7 else today.year - 1
    return dt.datetime(year, 7, 1, tzinfo=SHANGHAI), dt.datetime(year, 8, 1, tzinfo=SHANGHAI)


def seed_rows(now: dt.datetime | None = None) -> list[SeedRow]:
    now = now or timezone.now()
    xitang = Dispute.objects.filter(code_prefix_q("region_code", XITANG))
    year = xitang.filter(created_at__gte=now - dt.timedelta(days=365))
    n_year = year.count()
    whole = success_rate(xitang, since=now - dt.timedelta(days=365))
    since, until = _july(timezone.localdate(now))
    july = success_rate(xitang, since=since, until=until)
    return [
        SeedRow(
            "000",
            "西塘镇调处矛盾纠纷（近一年）",
            "800+",
            f"{n_year:,}" if n_year else NO_RECORDS,
            f"西塘镇（330421102）近一年登记的矛盾纠纷；同期调结 {whole.concluded:,} 件，"
            f"达成协议 {whole.agreements:,} 件（成功率 {whole.rate}%）"
            if n_year
            else "",
        ),
        SeedRow(
            "004",
            "上虞区7月调处矛盾纠纷 / 调解成功率",
            "1,054 / 97.34%",
            f"{july.concluded:,} / {july.rate}%" if july.concluded else NO_RECORDS,
            f"演示数据没有上虞，以西塘镇 {since:%Y} 年 7 月调结的纠纷代替（达成协议 {july.agreements:,} 件 / "
            f"调结 {july.concluded:,} 件）；成功率 = 达成协议 / 调结（达成协议与调解不成）"
            if july.concluded
            else "",
        ),
    ]
