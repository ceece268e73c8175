"""Reads of the registry that carry rules: the filtered entity list, and the target pool the 双随机 draw engine
reads (grassroots/draws)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from grassroots.core.scope import code_prefix_q

from .choices import EntityStatus, FoodClass, RiskClass
from .models import MarketEntity


@dataclass(frozen=True)
class EntityFilters:
    q: str = ""  # name or USCC
    status: str = ""
    risk_class: str = ""
    grid_id: int | None = None
    industry: str = ""  # a GB/T 4754 code prefix: "H" or "H62" or "H6210"
    region: str = ""  # a division code prefix
    food_class: str = ""
    kinds: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, get: Any) -> "EntityFilters":
        grid = get.get("grid") or ""
        return cls(
            q=(get.get("q") or "").strip()[:50],
            status=get.get("status") if get.get("status") in EntityStatus.values else "",
            risk_class=get.get("risk") if get.get("risk") in RiskClass.values else "",
            grid_id=int(grid) if grid.isdigit() else None,
            industry=(get.get("industry") or "").strip().upper()[:5],
            food_class=get.get("food") if get.get("food") in FoodClass.values else "",
        )


def entities_filtered(rows: QuerySet[MarketEntity], filters: EntityFilters) -> QuerySet[MarketEntity]:
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(uscc__startswith=filters.q.upper()))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.risk_class:
        rows = rows.filter(risk_class=filters.risk_class)
    if filters.grid_id:
        rows = rows.filter(grid_id=filters.grid_id)
    if filters.industry:
        rows = rows.filter(industry_code__startswith=filters.industry)
    if filters.region:
        rows = rows.filter(code_prefix_q("region_code", filters.region))
    if filters.food_class:
        rows = rows.filter(food_class=filters.food_class)
    if filters.kinds:
        rows = rows.filter(kind__in=filters.kinds)
    return rows


def entity_pool(filters: EntityFilters) -> list[tuple[int, str, str, int | None]]:
    """The draw engine's target pool: operating entities matching `filters`, as (entity id, risk class, region
    code, grid id), in id order so a frozen pool has one digest."""
    rows = entities_filtered(MarketEntity.objects.filter(status=EntityStatus.OPERATING), filters)
    return [
        (pk, risk, region, grid)
        for pk, risk, region, grid in rows.order_by("pk").values_list(
            "pk", "risk_class", "region_code", "grid_id"
        )
    ]
