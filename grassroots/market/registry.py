"""What the market platform registers when Django starts: its rows in `manage.py seed_figures`, and its entities as
the target pool of 双随机 draws (grassroots/draws)."""

from typing import Any


def plan_pool(plan: Any) -> list[dict[str, Any]]:
    """A draw plan's targets: the operating entities in the areas of the plan's units, as the draw engine's rows."""
    from .models import MarketEntity
    from .selectors import EntityFilters, entity_pool

    regions = sorted({u.division.code for u in plan.units.select_related("division") if u.division_id})
    rows: dict[int, str] = {}
    for region in regions:
        rows.update({pk: risk for pk, risk, _, _ in entity_pool(EntityFilters(region=region))})
    names = dict(MarketEntity.objects.filter(pk__in=rows).values_list("pk", "name"))
    return [{"id": pk, "kind": "market.entity", "risk": rows[pk], "label": names[pk]} for pk in sorted(rows)]


def register() -> None:
    from grassroots.draws.pools import register_pool

    from . import seed_rows

    seed_rows.register()
    register_pool("market.entity", plan_pool)
