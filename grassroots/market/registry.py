"""What the market platform registers when Django starts: its rows in `manage.py seed_figures`, its entities as
the target pool of 双随机 draws (grassroots/draws), and the licence expiry reminders on the timer worker's tick."""

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
    from grassroots.workflow.timers import register_tick_job

    from . import seed_rows
    from .services.licences import licence_reminders_send

    seed_rows.register()
    register_pool("market.entity", plan_pool)
    register_tick_job("证照到期提醒", lambda: licence_reminders_send())
