"""Reads that carry the draw's rules: the inspector pool of a plan, the previous inspectors of each target, the
targets a joint plan already took."""

from typing import Any

from .algorithm import target_key
from .models import DeclaredRelation, Draw, DrawPlan, Inspector


def inspector_pool_rows(plan: DrawPlan) -> list[dict[str, Any]]:
    """Every active inspector of the plan's units, expired certificates included (the draw excludes them, and
    the frozen pool shows why), with their declared relations as target keys."""
    inspectors = list(
        Inspector.objects.filter(unit__in=plan.units.all(), active=True).select_related("person").distinct()
    )
    relations: dict[int, list[str]] = {}
    for rel in DeclaredRelation.objects.filter(inspector__in=inspectors).values_list(
        "inspector_id", "target_kind", "target_id"
    ):
        relations.setdefault(rel[0], []).append(target_key(rel[1], rel[2]))
    return [
        {
            "id": str(i.pk),
            "name": i.person.name,
            "certificate_no": i.certificate_no,
            "valid_to": i.certificate_valid_to.isoformat(),
            "unit": str(i.unit_id),
            "relations": relations.get(i.pk, []),
        }
        for i in inspectors
    ]


def current_draws(*, exclude_plan: DrawPlan) -> list[Draw]:
    return list(
        Draw.objects.filter(superseded_at__isnull=True)
        .exclude(plan=exclude_plan)
        .select_related("plan")
        .order_by("drawn_at", "pk")
    )


def previous_inspectors(plan: DrawPlan, keys: set[str]) -> dict[str, list[str]]:
    """For each target key: the inspectors of the latest current draw of another plan that assigned it."""
    previous: dict[str, list[str]] = {}
    for draw in current_draws(exclude_plan=plan):
        for row in draw.assigned:
            key = target_key(row["kind"], row["id"])
            if key in keys:
                previous[key] = list(row["inspectors"])
    return previous


def covered_targets(plan: DrawPlan) -> list[str]:
    """The targets already drawn by current draws of plans with the same joint key (联合抽查)."""
    if not plan.joint_key:
        return []
    covered: set[str] = set()
    for draw in current_draws(exclude_plan=plan):
        if draw.plan.joint_key == plan.joint_key:
            covered.update(target_key(r["kind"], r["id"]) for r in draw.assigned + draw.unassigned)
    return sorted(covered)
