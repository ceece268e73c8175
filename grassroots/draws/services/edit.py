"""Editing a plan while it is a draft: a compare-and-set on (pk, status draft, version), audited with what changed.
Once the pools are frozen the plan is what was published, and an edit is refused (Conflict)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict
from grassroots.org.models import Unit

from ..choices import PlanStatus
from ..models import DrawPlan, InspectionItem
from ..permissions import guard_manager
from .plans import clean_rates, plan_fields_check


def plan_snapshot(plan: DrawPlan) -> dict[str, Any]:
    """The editable fields as plain values, for the audit row's before and after."""
    return {
        "name": plan.name,
        "units": sorted(plan.units.values_list("pk", flat=True)),
        "items": sorted(plan.items.values_list("pk", flat=True)),
        "target_filter": plan.target_filter,
        "rates": dict(plan.rates),
        "inspectors_per_target": plan.inspectors_per_target,
        "joint_key": plan.joint_key,
    }


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: DrawPlan,
    version: int,
    name: str,
    units: Iterable[Unit],
    items: Iterable[InspectionItem],
    target_filter: str = "",
    rates: Mapping[str, Any],
    inspectors_per_target: int,
    joint_key: str = "",
) -> DrawPlan:
    """Replace a draft's fields. `version` is the one the person edited; a later change or a freeze is a 409."""
    guard_manager(actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(
            f"计划当前状态为“{plan.get_status_display()}”，名录已冻结，不能再修改", code="draw_plan_not_draft"
        )
    units, items = list(units), list(items)
    plan_fields_check(name=name, units=units, items=items, inspectors_per_target=inspectors_per_target)
    cleaned_rates = clean_rates(rates)
    before = plan_snapshot(plan)
    changed = DrawPlan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT, version=version).update(
        name=name.strip(),
        target_filter=target_filter.strip(),
        rates=cleaned_rates,
        inspectors_per_target=inspectors_per_target,
        joint_key=joint_key.strip(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if changed != 1:
        raise Conflict("计划已被他人修改或已冻结，请刷新后重试", code="stale_draw_plan")
    plan.refresh_from_db()
    plan.units.set(units)
    plan.items.set(items)
    guard_manager(actor, plan)  # nobody moves a plan out of their own reach
    after = plan_snapshot(plan)
    changes = {key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]}
    audit_record(actor=actor, action="drawplan.update", obj=plan, detail={"changes": changes})
    return plan
