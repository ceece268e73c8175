"""The seeds' figures of 综合执法 beside the numbers computed from the records, for `manage.py seed_figures`."""

from grassroots.core.scope import code_prefix_q
from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .models import Power

XITANG = "330421102"  # seed 000: 西塘镇


def register() -> None:
    register_rows(seed_rows)


def power_counts(region_code: str) -> tuple[int, int]:
    """The powers on the list of the units located in the region, and how many of them are published."""
    rows = Power.objects.filter(code_prefix_q("unit__division__code", region_code))
    return rows.count(), rows.filter(published=True).count()


def seed_rows() -> list[SeedRow]:
    total, published = power_counts(XITANG)
    return [
        SeedRow(
            "000",
            "西塘镇下放执法权力事项",
            "1,073",
            f"{total:,}" if total else NO_RECORDS,
            f"西塘镇（330421102）各实施主体权力清单上的职权，其中已公布 {published:,} 项" if total else "",
        )
    ]
