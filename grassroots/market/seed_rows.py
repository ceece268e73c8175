"""The seeds' figures of 市场监管 beside the numbers computed from the registry, for `manage.py seed_figures`."""

from grassroots.core.scope import code_prefix_q
from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .choices import EntityStatus
from .models import MarketEntity

WEITANG = "330421001"  # seed 002 is 望亭; the demo's 魏塘街道 stands in for it


def register() -> None:
    register_rows(seed_rows)


def entity_count(region_code: str) -> int:
    """Entities in the registry located in the region, still operating."""
    return (
        MarketEntity.objects.filter(code_prefix_q("region_code", region_code))
        .filter(status=EntityStatus.OPERATING)
        .count()
    )


def seed_rows() -> list[SeedRow]:
    count = entity_count(WEITANG)
    return [
        SeedRow(
            "002",
            "望亭镇企业数据库（市场主体）",
            "1,000+",
            f"{count:,}" if count else NO_RECORDS,
            "以演示数据中的魏塘街道（330421001）代替望亭镇，登记状态为存续的市场主体",
        )
    ]
