"""A plan's life: create, freeze the pools with a seed commitment, draw (reveal), re-draw, publish the results.

Each move is a compare-and-set on (pk, status, version) from rules.PLAN_MOVES, with its audit row in the same
transaction."""

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.org.models import Unit
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_start, clock_stop
from grassroots.workflow.models import Clock

from ..algorithm import (
    ALGORITHM_VERSION,
    RISK_CLASSES,
    DrawInputError,
    DrawInputs,
    canonical_inspectors,
    canonical_targets,
    pool_digest,
    run_draw,
    sample_size,
    seed_commitment,
    target_key,
)
from ..models import Draw, DrawPlan, InspectionItem, PoolSnapshot
from ..models.plans import default_rates
from ..permissions import guard_manager
from ..pools import assignment_results, assignments_drawn, assignments_superseded
from ..rules import ACTION_LABELS, PLAN_MOVES
from ..selectors import covered_targets, inspector_pool_rows, previous_inspectors

CLOCK_WORKFLOW = "draws"
CLOCK_NAME = "publication"


def publish_limit() -> Decimal:
    """结果公示 within 20 工作日 of the draw (DOMAIN.md §7); configuration with this default."""
    return Decimal(getattr(settings, "DRAWS_PUBLISH_WORKING_DAYS", 20))


def move(plan: DrawPlan, action: str, *, now: dt.datetime) -> None:
    sources, target = PLAN_MOVES[action]
    if plan.status not in sources:
        raise Conflict(
            f"计划当前状态为“{plan.get_status_display()}”，不能{ACTION_LABELS[action]}",
            code="draw_plan_bad_state",
        )
    changed = DrawPlan.objects.filter(pk=plan.pk, status=plan.status, version=plan.version).update(
        status=target, version=F("version") + 1, updated_at=now
    )
    if changed != 1:
        raise Conflict("计划已被他人处理或已变化，请刷新后重试", code="stale_draw_plan")
    plan.status = target
    plan.version += 1


def clean_rates(rates: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for risk in RISK_CLASSES:
        rate = str(rates.get(risk, "0")).strip()
        try:
            sample_size(rate, 0)
        except DrawInputError as exc:
            raise InvalidInput(
                f"{risk} 类{exc}", code="draw_bad_rate", details={"class": risk, "field": f"rate_{risk}"}
            ) from None
        out[risk] = rate
    return out


def plan_fields_check(
    *, name: str, units: list[Unit], items: list[InspectionItem], inspectors_per_target: int
) -> None:
    """The rules a draft's fields follow, on creation and on every edit (the field named in `details`)."""
    if not name.strip():
        raise InvalidInput("请填写计划名称", code="draw_name_required", details={"field": "name"})
    if inspectors_per_target < 2:
        raise InvalidInput(
            "每个检查对象至少抽取 2 名执法人员",
            code="draw_two_inspectors",
            details={"field": "inspectors_per_target"},
        )
    if not units:
        raise InvalidInput("请至少选择一个参与单位", code="draw_no_unit", details={"field": "units"})
    unpublished = [item.code for item in items if not item.published]
    if unpublished:
        raise InvalidInput(
            f"抽查事项尚未公开，不能列入计划：{'、'.join(unpublished)}",
            code="draw_item_unpublished",
            details={"field": "items", "codes": unpublished},
        )


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    name: str,
    units: Iterable[Unit],
    items: Iterable[InspectionItem] = (),
    target_filter: str = "",
    rates: Mapping[str, Any] | None = None,
    inspectors_per_target: int = 2,
    joint_key: str = "",
) -> DrawPlan:
    units, items = list(units), list(items)
    plan_fields_check(name=name, units=units, items=items, inspectors_per_target=inspectors_per_target)
    plan = DrawPlan.objects.create(
        name=name.strip(),
        target_filter=target_filter.strip(),
        rates=clean_rates(rates if rates is not None else default_rates()),
        inspectors_per_target=inspectors_per_target,
        joint_key=joint_key.strip(),
        created_by=actor,
    )
    plan.units.set(units)
    plan.items.set(items)
    guard_manager(actor, plan)
    audit_record(actor=actor, action="drawplan.create", obj=plan, detail={"rates": plan.rates})
    return plan


def freeze_snapshot(
    plan: DrawPlan, *, actor: Any, targets: Iterable[Mapping[str, Any]], now: dt.datetime, **redraw: Any
) -> PoolSnapshot:
    try:
        target_rows = canonical_targets(targets)
        inspector_rows = canonical_inspectors(inspector_pool_rows(plan))
    except DrawInputError as exc:
        raise InvalidInput(str(exc), code="draw_bad_pool") from None
    seed = secrets.token_hex(32)
    sequence = plan.snapshots.count() + 1
    return PoolSnapshot.objects.create(
        plan=plan,
        sequence=sequence,
        targets=target_rows,
        inspectors=inspector_rows,
        targets_digest=pool_digest(target_rows),
        inspectors_digest=pool_digest(inspector_rows),
        seed_hash=seed_commitment(seed),
        seed=seed,
        frozen_at=now,
        frozen_by=actor,
        **redraw,
    )


def snapshot_detail(snapshot: PoolSnapshot, **detail: Any) -> dict[str, Any]:
    return detail | {
        "sequence": snapshot.sequence,
        "targets": len(snapshot.targets),
        "inspectors": len(snapshot.inspectors),
        "targets_digest": snapshot.targets_digest,
        "inspectors_digest": snapshot.inspectors_digest,
        "seed_hash": snapshot.seed_hash,
    }


@transaction.atomic
def plan_freeze(*, actor: Any, plan: DrawPlan, targets: Iterable[Mapping[str, Any]]) -> PoolSnapshot:
    """Freeze the target pool the caller passes and the plan's inspector pool; commit to a fresh secret seed."""
    guard_manager(actor, plan)
    now = timezone.now()
    snapshot = freeze_snapshot(plan, actor=actor, targets=targets, now=now)  # refuses a bad pool first
    move(plan, "freeze", now=now)
    audit_record(actor=actor, action="drawplan.freeze", obj=plan, detail=snapshot_detail(snapshot))
    return snapshot


@transaction.atomic
def plan_draw(*, actor: Any, plan: DrawPlan, now: dt.datetime | None = None) -> Draw:
    """Reveal the seed of the latest snapshot and run the algorithm; start the 20 工作日 publication clock."""
    guard_manager(actor, plan)
    now = now or timezone.now()
    snapshot = plan.snapshots.order_by("-sequence").first()
    if snapshot is not None and snapshot.redraw_approved_by_id == actor.pk:
        raise InvalidInput("批准重新抽取的人员不能本人抽取", code="redraw_self_approval")
    move(plan, "draw", now=now)
    assert snapshot is not None  # a frozen plan has one
    keys = {target_key(r["kind"], r["id"]) for r in snapshot.targets}
    inputs = DrawInputs(
        rates=plan.rates,
        per_target=plan.inspectors_per_target,
        draw_date=timezone.localdate(now).isoformat(),
        previous=previous_inspectors(plan, keys),
        covered=[k for k in covered_targets(plan) if k in keys],
    )
    result = run_draw(
        seed=snapshot.seed, targets=snapshot.targets, inspectors=snapshot.inspectors, inputs=inputs
    )
    draw = Draw.objects.create(
        plan=plan,
        snapshot=snapshot,
        sequence=snapshot.sequence,
        seed=snapshot.seed,
        seed_hash=snapshot.seed_hash,
        targets_digest=snapshot.targets_digest,
        inspectors_digest=snapshot.inspectors_digest,
        algorithm=ALGORITHM_VERSION,
        inputs=inputs.as_json(),
        result=result,
        drawn_at=now,
        drawn_by=actor,
        reason=snapshot.redraw_reason,
        approved_by=snapshot.redraw_approved_by,
    )
    change = clock_start(
        workflow=CLOCK_WORKFLOW,
        object_id=draw.pk,
        name=CLOCK_NAME,
        unit=LimitUnit.WORKING_DAYS,
        statutory=publish_limit(),
        limit_source=f"DOMAIN.md §7 双随机抽查结果公示：{publish_limit()} 工作日",
        from_next_day=True,
        now=now,
    )
    draw.results_due_at = change.clock.due_at
    draw.save(update_fields=["results_due_at"])
    audit_record(
        actor=actor,
        action="drawplan.draw",
        obj=plan,
        detail={
            "draw": draw.pk,
            "sequence": draw.sequence,
            "seed": draw.seed,
            "algorithm": draw.algorithm,
            "assigned": len(draw.assigned),
            "unassigned": len(draw.unassigned),
            "results_due_at": change.data["due_at"],
        },
    )
    assignments_drawn(draw, actor)
    return draw


def results_summary(draw: Draw) -> str:
    """The default words of the results to publish: how many targets were drawn and what was found."""
    results = assignment_results(draw)
    counts: dict[str, int] = {}
    for label in results.values():
        if label is not None:
            counts[label] = counts.get(label, 0) + 1
    parts = "，".join(f"{label} {n} 户" for label, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    done = sum(counts.values())
    return f"本次抽取检查对象 {len(draw.assigned)} 户，已检查 {done} 户" + (f"：{parts}。" if parts else "。")


def stop_clock(draw: Draw, *, result: str, actor: Any, now: dt.datetime) -> None:
    clock = Clock.objects.filter(
        workflow=CLOCK_WORKFLOW,
        object_id=draw.pk,
        name=CLOCK_NAME,
        state__in=[ClockState.RUNNING, ClockState.PAUSED],
    ).first()
    if clock is not None:
        clock_stop(clock=clock, result=result, actor=actor, now=now)


@transaction.atomic
def plan_redraw(
    *, actor: Any, plan: DrawPlan, reason: str, approved_by: Any, targets: Iterable[Mapping[str, Any]]
) -> PoolSnapshot:
    """Supersede the current draw and freeze the pools again with a new seed commitment; the next draw carries
    the reason and the approval. The approver must be another person who may manage the plan."""
    guard_manager(actor, plan)
    if not reason.strip():
        raise InvalidInput("重新抽取须说明理由", code="redraw_reason_required")
    if approved_by is None or approved_by.pk == actor.pk:
        raise InvalidInput("重新抽取须由抽取人以外的人员批准", code="redraw_self_approval")
    guard_manager(approved_by, plan)
    now = timezone.now()
    current = plan.draws.filter(superseded_at__isnull=True).order_by("-sequence").first()
    if current is not None and approved_by.pk == current.drawn_by_id:
        raise InvalidInput("重新抽取须由抽取人以外的人员批准", code="redraw_self_approval")
    snapshot = freeze_snapshot(
        plan,
        actor=actor,
        targets=targets,
        now=now,
        redraw_reason=reason.strip(),
        redraw_approved_by=approved_by,
    )
    move(plan, "redraw", now=now)
    if current is not None:
        Draw.objects.filter(pk=current.pk).update(superseded_at=now)
        stop_clock(current, result="superseded", actor=actor, now=now)
        assignments_superseded(current, actor)
    detail = snapshot_detail(
        snapshot,
        reason=reason.strip(),
        approved_by=approved_by.pk,
        superseded_draw=current.pk if current else None,
    )
    audit_record(actor=actor, action="drawplan.redraw", obj=plan, detail=detail)
    return snapshot


@transaction.atomic
def draw_publish(*, actor: Any, plan: DrawPlan, summary: str) -> Draw:
    """Publish the results of the current draw (一公开) and stop its clock."""
    guard_manager(actor, plan)
    if not summary.strip():
        raise InvalidInput("请填写检查结果", code="draw_results_required")
    draw = plan.draws.filter(superseded_at__isnull=True).order_by("-sequence").first()
    now = timezone.now()
    if draw is not None:
        pending = [key for key, result in assignment_results(draw).items() if result is None]
        if pending:
            raise InvalidInput(
                f"尚有 {len(pending)} 个检查对象未录入检查结果，全部录入后才能公示",
                code="draw_results_incomplete",
                details={"pending": len(pending)},
            )
    move(plan, "publish", now=now)
    assert draw is not None  # a drawn plan has one
    draw.results_summary = summary.strip()
    draw.results_published_at = now
    draw.results_published_by = actor
    draw.save(update_fields=["results_summary", "results_published_at", "results_published_by"])
    stop_clock(draw, result="published", actor=actor, now=now)
    late = bool(draw.results_due_at and now > draw.results_due_at)
    audit_record(actor=actor, action="drawplan.publish", obj=plan, detail={"draw": draw.pk, "late": late})
    return draw
