"""The seeds' figures of 市场监管 beside the numbers computed from the records, for `manage.py seed_figures`:
computed with the code the figures page uses (grassroots/market/figures), over all of a town's records."""

from dataclasses import dataclass

from django.utils import timezone

from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .figures import OPERATING, Figures, figures_by, scope_all, window_all

XITANG = "330421102"  # seed 000: 西塘镇
WEITANG = "330421001"  # seed 002 is 望亭; the demo's 魏塘街道 stands in for it
NO_NUMBER = "未给数字"  # the seed names the work but gives no figure


def register() -> None:
    register_rows(seed_rows)


def entity_count(region_code: str) -> int:
    """Entities in the registry located in the region, still operating (the figures' `operating`)."""
    return scope_all(region_code).entities.filter(OPERATING).count()


@dataclass
class Town:
    """All of a town's records counted once, and which relations have any."""

    figures: Figures
    entities: bool
    inspections: bool
    draws: bool

    def count(self, name: str, present: bool) -> str:
        return f"{self.figures.count(name):,}" if present else NO_RECORDS


def town(region_code: str) -> Town:
    scope = scope_all(region_code)
    window = window_all(scope, timezone.now())
    return Town(
        figures=figures_by(scope, window=window, group=None)[0],
        entities=scope.entities.exists(),
        inspections=scope.inspections.exists(),
        draws=scope.draws.exists(),
    )


def _draw_rows(t: Town, note: str) -> list[SeedRow]:
    f = t.figures
    inspected = f"{f.count('drawn_targets'):,} / {f.count('drawn_done'):,}" if t.draws else NO_RECORDS
    on_time = (
        f"{f.value('on_time_publication')}（{f.count('published_on_time')} / {f.count('publish_due')}）"
        if t.draws
        else NO_RECORDS
    )
    return [
        SeedRow("002", "望亭镇双随机抽取次数", NO_NUMBER, t.count("draws", t.draws), note),
        SeedRow("002", "望亭镇双随机抽中检查对象 / 其中已检查（户次）", NO_NUMBER, inspected, note),
        SeedRow("002", "望亭镇双随机结果按时公示率", NO_NUMBER, on_time, note),
    ]


def seed_rows() -> list[SeedRow]:
    xitang = town(XITANG)
    xitang_note = "西塘镇（330421102）全部检查记录：问题按检查发现计，金额为处罚登记的罚没金额之和"
    amount = f"{xitang.figures.amount:,.2f} 元" if xitang.inspections else NO_RECORDS
    weitang = town(WEITANG)
    stand_in = "以演示数据中的魏塘街道（330421001）代替望亭镇"
    draw_note = f"{stand_in}，未被重新抽取作废的抽取记录；种子只写“积极开展‘双随机’工作”"
    penalties = (
        f"{weitang.figures.count('penalties'):,} 件，{weitang.figures.amount:,.2f} 元"
        if weitang.inspections
        else NO_RECORDS
    )
    return [
        SeedRow(
            "000", "西塘镇累计查处问题", "65 项", xitang.count("findings", xitang.inspections), xitang_note
        ),
        SeedRow("000", "西塘镇处罚金额", "20 万元", amount, xitang_note),
        SeedRow(
            "002",
            "望亭镇企业数据库（市场主体）",
            "1,000+",
            operating_text(weitang),
            f"{stand_in}，登记状态为存续的市场主体",
        ),
        *_draw_rows(weitang, draw_note),
        SeedRow("002", "望亭镇行政处罚", NO_NUMBER, penalties, f"{stand_in}；种子只写处罚裁量软件的使用"),
    ]


def operating_text(t: Town) -> str:
    """The operating entities, or 无记录 when the town has none in the registry."""
    return f"{t.figures.count('operating'):,}" if t.figures.count("operating") else NO_RECORDS
