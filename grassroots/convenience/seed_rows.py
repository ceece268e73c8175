"""The seeds' figures of 便民服务 beside the numbers computed from the records, for `manage.py seed_figures`:
computed with the indicator code the figures pages use (indicators.py)."""

from django.utils import timezone

from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .indicators import Figures, applications_in, figures_by, list_sizes, value_of, window_all
from .models import Application, ServiceCentre
from .selectors import items_for

XITANG = "330421102"  # seed 000: 西塘镇
WEITANG = "330421001"  # seed 002 is 望亭; the demo's 魏塘街道 stands in for it


def register() -> None:
    register_rows(seed_rows)


def _count(figures: Figures | None, name: str) -> str:
    return NO_RECORDS if figures is None else f"{figures.count(name):,}"


def region_figures(region_code: str) -> Figures | None:
    """Every count over all of the region's applications, from its first record to now; None if it has none."""
    now = timezone.now()
    rows = applications_in(Application.objects.all(), region_code)
    window = window_all(rows, now)
    if window is None:
        return None
    return figures_by(rows, window=window, group=None)[0]


def _value(figures: Figures | None, code: str) -> str:
    if figures is None:
        return NO_RECORDS
    return str(value_of(code, figures.counts))


def seed_rows() -> list[SeedRow]:
    xitang = region_figures(XITANG)
    centre = ServiceCentre.objects.filter(township__code=XITANG).first()
    items = items_for(centre).values("code").distinct().count() if centre is not None else 0
    items_text = f"{items:,}" if items else NO_RECORDS
    xitang_note = "西塘镇（330421102）全部办件，自首条记录至今"
    weitang = region_figures(WEITANG)
    weitang_note = "以演示数据中的魏塘街道（330421001）代替望亭镇，全部办件自首条记录至今"
    sizes = list_sizes()
    has_catalogue = bool(sizes.get("items"))

    def size(name: str) -> str:
        return str(sizes[name]) if has_catalogue else NO_RECORDS

    catalogue_note = "已发布且现行有效的事项清单"
    return [
        SeedRow(
            "000",
            "西塘镇便民服务中心事项数",
            "125",
            items_text,
            "西塘镇中心所属类型清单上的现行事项；演示按上虞（种子 004）中心镇保底清单配置，与西塘当年下放的 125 项不同",
        ),
        SeedRow("000", "西塘镇累计受理件数", "8,663", _count(xitang, "accepted"), xitang_note),
        SeedRow("000", "西塘镇累计办结件数", "8,644", _count(xitang, "finished"), xitang_note),
        SeedRow("000", "西塘镇办结率", "99.8%", _value(xitang, "finishing_rate"), xitang_note),
        SeedRow("002", "望亭镇日均办件量", "约 140", _value(weitang, "daily_average"), weitang_note),
        SeedRow("002", "望亭镇群众满意率", "100%", _value(weitang, "satisfaction"), weitang_note),
        SeedRow("002", "望亭镇不见面业务量占比", "90% 以上", _value(weitang, "remote_share"), weitang_note),
        SeedRow("004", "中心镇（街道）事项清单", "164", size("central"), catalogue_note),
        SeedRow("004", "发展型乡镇事项清单", "124", size("developing"), catalogue_note),
        SeedRow("004", "生态型乡镇事项清单", "79", size("ecological"), catalogue_note),
        SeedRow("004", "村级便民服务中心事项清单", "36", size("village"), catalogue_note),
        SeedRow(
            "004",
            "中心镇清单中“最多跑一次”事项",
            "161 / 164",
            f"{sizes['central_at_most_once']} / {sizes['central']}" if has_catalogue else NO_RECORDS,
            catalogue_note,
        ),
        SeedRow("004", "中心镇清单中“零跑腿”事项", "11", size("central_zero_visit"), catalogue_note),
    ]
