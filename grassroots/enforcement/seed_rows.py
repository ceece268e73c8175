"""The seeds' figures of 综合执法 beside the numbers computed from the records, for `manage.py seed_figures`."""

from grassroots.core.scope import code_prefix_q
from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .choices import CaseProcedure
from .models import EnforcementCase, Power

XITANG = "330421102"  # seed 000: 西塘镇
WEITANG = "330421001"  # seed 002 is 望亭; the demo's 魏塘街道 stands in for it
NO_NUMBER = "未给数字"  # the seed names the work but gives no figure


def register() -> None:
    register_rows(seed_rows)


def power_counts(region_code: str) -> tuple[int, int]:
    """The powers on the list of the units located in the region, and how many of them are published."""
    rows = Power.objects.filter(code_prefix_q("unit__division__code", region_code))
    return rows.count(), rows.filter(published=True).count()


def case_counts(region_code: str) -> dict[str, int]:
    """The cases of the units located in the region: all registered, filed (立案), decided on the spot, and the
    major cases discussed collectively (集体讨论)."""
    rows = EnforcementCase.objects.filter(code_prefix_q("unit__division__code", region_code))
    return {
        "all": rows.count(),
        "filed": rows.filter(filed_at__isnull=False).count(),
        "simple": rows.filter(procedure=CaseProcedure.SIMPLE).count(),
        "discussed": rows.filter(major=True, discussed_at__isnull=False).count(),
        "heard": rows.filter(hearing_held_at__isnull=False).count(),
    }


def seed_rows() -> list[SeedRow]:
    total, published = power_counts(XITANG)
    xitang, weitang = case_counts(XITANG), case_counts(WEITANG)
    return [
        SeedRow(
            "000",
            "西塘镇下放执法权力事项",
            "1,073",
            f"{total:,}" if total else NO_RECORDS,
            f"西塘镇（330421102）各实施主体权力清单上的职权，其中已公布 {published:,} 项" if total else "",
        ),
        SeedRow(
            "000",
            "西塘镇综合执法累计受理案件",
            "694",
            f"{xitang['all']:,}" if xitang["all"] else NO_RECORDS,
            f"西塘镇（330421102）各单位登记的行政处罚案件（含线索和不予立案），其中立案 {xitang['filed']:,} 件、"
            f"当场处罚 {xitang['simple']:,} 件；种子的“各类案件”还包括智慧平台直办、交办的问题"
            if xitang["all"]
            else "",
        ),
        SeedRow(
            "002",
            "望亭镇重大案件集体讨论 / 听证（件）",
            NO_NUMBER,
            f"{weitang['discussed']:,} / {weitang['heard']:,}" if weitang["all"] else NO_RECORDS,
            "以演示数据中的魏塘街道（330421001）代替望亭镇；种子只写“认真做好重大案件集体讨论”和“告知、听证等配套制度”",
        ),
    ]
