"""What the market platform registers when Django starts: its rows in `manage.py seed_figures`, its entities as
the target pool of 双随机 draws (grassroots/draws) and their assignments as inspections, the licence expiry reminders
on the timer worker's tick, the inspections' risk factors, clocks and links."""

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


def draw_results(draw: Any) -> dict[str, str | None]:
    """Per entity a draw assigned: the conclusion its inspectors recorded, or None while it waits."""
    from grassroots.draws.algorithm import target_key

    from .choices import Conclusion
    from .models import Inspection

    labels = dict(Conclusion.choices)
    rows = (
        Inspection.objects.filter(draw=draw)
        .exclude(status="cancelled")
        .values_list("entity_id", "conclusion")
    )
    return {target_key("market.entity", str(pk)): (str(labels[c]) if c else None) for pk, c in rows}


def register_inspection_workflow() -> None:
    from django.urls import reverse

    from grassroots.audit.labels import register_step_labels
    from grassroots.events.choices import OPEN_STATUSES as EVENT_OPEN
    from grassroots.org.choices import PlatformKind
    from grassroots.workflow.links import register_link_offer, register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from .models import Inspection
    from .permissions import inspections_visible_to, may_arrange_inspection
    from .rules import ACTION_LABELS
    from .services.inspection_timers import rectification_overdue, rectification_warn

    register_step_labels("inspection", "监督检查", ACTION_LABELS | {"from_draw": "双随机抽取生成检查任务"})
    register_link_workflow(
        "inspection",
        label="监督检查",
        model=Inspection,
        visible=inspections_visible_to,
        title=lambda i: f"{i.number} {i.entity.name}",
        url=lambda i: reverse("market:inspection", args=[i.pk]),
    )
    register_clock_handlers("inspection", on_warn=rectification_warn, on_overdue=rectification_overdue)
    # A 市场监管 complaint still open can be checked on site: the new inspection is linked to the event.
    register_link_offer(
        "event",
        label="安排市场监管核查",
        offered=lambda person, event: (
            event.platform == PlatformKind.MARKET
            and event.status in EVENT_OPEN
            and may_arrange_inspection(person)
        ),
        url=lambda event: f"{reverse('market:arrange')}?event={event.pk}",
    )


def register() -> None:
    from grassroots.draws.pools import Assignments, register_assignments, register_pool
    from grassroots.workflow.timers import register_tick_job

    from . import seed_rows
    from .services.inspection_risk import inspection_factors
    from .services.inspections import inspections_from_draw, inspections_superseded
    from .services.licences import licence_reminders_send
    from .services.risk import register_risk_factor

    seed_rows.register()
    register_pool("market.entity", plan_pool)
    register_tick_job("证照到期提醒", lambda: licence_reminders_send())
    register_risk_factor(inspection_factors)
    register_inspection_workflow()
    register_assignments(
        "market.entity",
        Assignments(drawn=inspections_from_draw, superseded=inspections_superseded, results=draw_results),
    )
