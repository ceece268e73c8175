"""Every write of a joint operation (联合执法 / 专项整治): start one with its plan, units, targets and tasks; edit the
plan; add, remove and complete tasks; start; record each unit's results; link events and cases; finish; cancel.

Each step authorises against `operation_rules.TABLE` (409 `invalid_transition`, 403 `not_permitted`), checks its
named guards, then compare-and-sets the operation on its version (409 `stale_operation`) writing its history and
audit rows (`joint_operation.<action>`) in the same transaction, before any other write.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.geo.models import Grid
from grassroots.market.models import MarketEntity
from grassroots.org.models import Unit
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.commit import Moved, commit_move
from grassroots.workflow.links import RecordRef, link_records

from ..models.operations import (
    RESULT_FIELDS,
    JointOperation,
    OperationHistory,
    OperationStatus,
    OperationTask,
    OperationUnit,
)
from .operation_access import acts_for, may_create_operation, operation_actor_kinds, recording_units
from .operation_guards import (
    Place,
    Results,
    guard_kind,
    guard_participating,
    guard_period,
    guard_places,
    guard_results,
    guard_task_text,
    guard_title,
    guard_units,
)
from .operation_rules import OPERATION, WORKFLOW_NAME, Actor

STALE = ("stale_operation", "行动已被他人修改或已变化，请刷新后重试")
# What an operation may be linked to, and how the link reads from the operation's side.
LINKABLE = {"event": LinkKind.RELATED, "case": LinkKind.BECAME, "inspection": LinkKind.RELATED}


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()).replace(microsecond=0)


def authorize(operation: JointOperation, actor: Any, action: str) -> set[str]:
    kinds = operation_actor_kinds(operation, actor)
    OPERATION.authorize(action, operation.status, kinds, what="行动")
    return kinds


def commit(
    operation: JointOperation,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Moved:
    """Move the operation (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    payload = {k: v for k, v in (data or {}).items() if v not in (None, "", [])}

    def history(record: JointOperation, moved: Moved) -> OperationHistory:
        return OperationHistory.objects.create(
            operation=record,
            action=action,
            from_status=moved.from_status,
            to_status=moved.to_status,
            actor=actor,
            at=moved.at,
            note=note,
            data=payload,
        )

    moved, _row = commit_move(
        operation,
        workflow=WORKFLOW_NAME,
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=payload,
        now=now,
        stale=STALE,
        object_repr=operation.title,
        **fields,
    )
    return moved


# -- create and plan --------------------------------------------------------------------------------------------


@transaction.atomic
def operation_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    lead_unit: Unit,
    units: Iterable[Unit],
    starts_on: dt.date,
    ends_on: dt.date,
    plan: str = "",
    entities: Iterable[MarketEntity] = (),
    places: Iterable[Place | dict[str, Any]] = (),
    grids: Iterable[Grid] = (),
    tasks: Sequence[tuple[Unit, str]] = (),
    now: dt.datetime | None = None,
) -> JointOperation:
    """发起 an operation led by `lead_unit` (its staff or head), with the units taking part and their tasks."""
    now = _now(now)
    if not may_create_operation(actor, lead_unit):
        raise Forbidden("您无权以该单位名义发起行动", code="not_permitted")
    kind = guard_kind(kind)
    title = guard_title(title)
    guard_period(starts_on, ends_on)
    chosen = guard_units(kind, lead_unit, units)
    place_rows = guard_places(places)
    task_rows = [(unit, guard_task_text(text)) for unit, text in tasks]
    strangers = sorted({u.name for u, _t in task_rows if u.pk not in {c.pk for c in chosen}})
    if strangers:
        raise InvalidInput(
            f"任务的责任单位须是参与单位：{'、'.join(strangers)}", code="task_unit_not_participating"
        )
    operation = JointOperation.objects.create(
        kind=kind,
        title=title,
        lead_unit=lead_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        plan=plan.strip(),
        places=place_rows,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    OperationUnit.objects.bulk_create(
        OperationUnit(operation=operation, unit=u, lead=u.pk == lead_unit.pk) for u in chosen
    )
    operation.entities.set(list(entities))
    operation.grids.set(list(grids))
    OperationTask.objects.bulk_create(
        OperationTask(operation=operation, unit=u, text=t, created_at=now) for u, t in task_rows
    )
    data = {"kind": kind, "units": [u.code for u in chosen], "tasks": len(task_rows)}
    OperationHistory.objects.create(
        operation=operation, action="create", to_status=operation.status, actor=actor, at=now, data=data
    )
    audit_record(actor=actor, action="joint_operation.create", obj=operation, object_repr=title, detail=data)
    return operation


@transaction.atomic
def operation_edit(
    *,
    actor: Any,
    operation: JointOperation,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    plan: str,
    units: Iterable[Unit],
    entities: Iterable[MarketEntity] = (),
    places: Iterable[Place | dict[str, Any]] = (),
    grids: Iterable[Grid] = (),
    now: dt.datetime | None = None,
) -> JointOperation:
    """修改工作方案: the plan, period, units and targets. A unit that has tasks or results stays."""
    now = _now(now)
    authorize(operation, actor, "edit")
    title = guard_title(title)
    guard_period(starts_on, ends_on)
    chosen = guard_units(operation.kind, operation.lead_unit, units)
    place_rows = guard_places(places)
    keep = {u.pk for u in chosen}
    leaving = list(operation.participants.exclude(unit_id__in=keep).select_related("unit"))
    busy = [
        row.unit.name
        for row in leaving
        if row.recorded_at is not None or operation.tasks.filter(unit_id=row.unit_id).exists()
    ]
    if busy:
        raise InvalidInput(
            f"以下单位已有任务或成果，不能移出：{'、'.join(busy)}",
            code="operation_unit_in_use",
            details={"units": busy},
        )
    present = set(operation.participants.values_list("unit_id", flat=True))
    data = {
        "added": [u.code for u in chosen if u.pk not in present],
        "removed": [row.unit.code for row in leaving],
        "period": [str(starts_on), str(ends_on)],
    }
    commit(
        operation,
        actor=actor,
        action="edit",
        to=None,
        now=now,
        data=data,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        plan=plan.strip(),
        places=place_rows,
    )
    OperationUnit.objects.filter(pk__in=[row.pk for row in leaving]).delete()
    OperationUnit.objects.bulk_create(
        OperationUnit(operation=operation, unit=u) for u in chosen if u.pk not in present
    )
    operation.entities.set(list(entities))
    operation.grids.set(list(grids))
    return operation


@transaction.atomic
def operation_add_task(
    *, actor: Any, operation: JointOperation, unit: Unit, text: str, now: dt.datetime | None = None
) -> OperationTask:
    now = _now(now)
    authorize(operation, actor, "add_task")
    text = guard_task_text(text)
    guard_participating(operation, unit)
    commit(
        operation, actor=actor, action="add_task", to=None, now=now, data={"unit": unit.code, "task": text}
    )
    return OperationTask.objects.create(operation=operation, unit=unit, text=text, created_at=now)


def _task_of(operation: JointOperation, task_id: int) -> OperationTask:
    task = operation.tasks.select_related("unit").filter(pk=task_id).first()
    if task is None:
        raise InvalidInput("任务不存在", code="task_not_found", details={"task": task_id})
    return task


@transaction.atomic
def operation_remove_task(
    *, actor: Any, operation: JointOperation, task_id: int, now: dt.datetime | None = None
) -> None:
    now = _now(now)
    authorize(operation, actor, "remove_task")
    task = _task_of(operation, task_id)
    if task.done:
        raise InvalidInput("已完成的任务不能删除", code="task_already_done")
    data = {"unit": task.unit.code, "task": task.text}
    commit(operation, actor=actor, action="remove_task", to=None, now=now, data=data)
    task.delete()


@transaction.atomic
def operation_complete_task(
    *,
    actor: Any,
    operation: JointOperation,
    task_id: int,
    done: bool = True,
    notes: str = "",
    now: dt.datetime | None = None,
) -> OperationTask:
    """登记任务完成情况: by the task's unit, or the lead unit."""
    now = _now(now)
    kinds = authorize(operation, actor, "complete_task")
    task = _task_of(operation, task_id)
    if Actor.LEAD not in kinds and not acts_for(actor, task.unit):
        raise Forbidden("只能登记本单位的任务", code="task_not_yours")
    data = {"task": task.pk, "unit": task.unit.code, "done": done}
    commit(operation, actor=actor, action="complete_task", to=None, now=now, note=notes.strip(), data=data)
    task.done = done
    task.notes = notes.strip()
    task.done_at = now if done else None
    task.done_by = actor if done else None
    task.save(update_fields=["done", "notes", "done_at", "done_by"])
    return task


# -- run, record, end -----------------------------------------------------------------------------------------


@transaction.atomic
def operation_start(
    *, actor: Any, operation: JointOperation, now: dt.datetime | None = None
) -> JointOperation:
    now = _now(now)
    authorize(operation, actor, "start")
    commit(operation, actor=actor, action="start", to=OperationStatus.ONGOING, now=now, started_at=now)
    return operation


@transaction.atomic
def operation_record_results(
    *,
    actor: Any,
    operation: JointOperation,
    unit: Unit,
    results: Results,
    note: str = "",
    now: dt.datetime | None = None,
) -> OperationUnit:
    """填报 one unit's results, by that unit (its staff or head); a second report replaces the first, on record."""
    now = _now(now)
    authorize(operation, actor, "record_results")
    row = guard_participating(operation, unit)
    if row.pk not in {r.pk for r in recording_units(actor, operation)}:
        raise Forbidden(f"只能填报本单位的行动成果，不能代{unit.name}填报", code="results_not_yours")
    guard_results(results)
    before = {name: getattr(row, name) for name in RESULT_FIELDS} if row.recorded_at else None
    after = {name: getattr(results, name) for name in RESULT_FIELDS}
    data = {"unit": unit.code, "results": after, "before": before}
    commit(operation, actor=actor, action="record_results", to=None, now=now, note=note.strip(), data=data)
    for name, value in after.items():
        setattr(row, name, value)
    row.results_note = note.strip()
    row.recorded_at = now
    row.recorded_by = actor
    row.save(update_fields=[*RESULT_FIELDS, "results_note", "recorded_at", "recorded_by"])
    return row


def totals_of(operation: JointOperation) -> dict[str, int]:
    """The operation's results: the sum of its units' (stored, not cached: always equal to the rows)."""
    rows = list(operation.participants.all())
    return {name: sum(getattr(r, name) for r in rows) for name in RESULT_FIELDS}


@transaction.atomic
def operation_finish(
    *, actor: Any, operation: JointOperation, summary: str = "", now: dt.datetime | None = None
) -> JointOperation:
    """结束 the operation once every unit taking part has recorded its results; the totals go on record."""
    now = _now(now)
    authorize(operation, actor, "finish")
    missing = list(
        operation.participants.filter(recorded_at__isnull=True).values_list("unit__name", flat=True)
    )
    if missing:
        raise InvalidInput(
            f"以下单位尚未填报行动成果：{'、'.join(missing)}",
            code="operation_results_missing",
            details={"units": missing},
        )
    commit(
        operation,
        actor=actor,
        action="finish",
        to=OperationStatus.FINISHED,
        now=now,
        note=summary.strip(),
        data={"totals": totals_of(operation)},
        summary=summary.strip(),
        finished_at=now,
    )
    return operation


@transaction.atomic
def operation_cancel(
    *, actor: Any, operation: JointOperation, reason: str, now: dt.datetime | None = None
) -> JointOperation:
    now = _now(now)
    authorize(operation, actor, "cancel")
    if not reason.strip():
        raise InvalidInput("取消行动须说明理由", code="reason_required")
    commit(
        operation,
        actor=actor,
        action="cancel",
        to=OperationStatus.CANCELLED,
        now=now,
        note=reason.strip(),
        cancel_reason=reason.strip(),
        finished_at=now,
    )
    return operation


@transaction.atomic
def operation_link(
    *,
    actor: Any,
    operation: JointOperation,
    workflow: str,
    object_id: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Link an event handled in the operation (关联) or a case it opened (转为) to it; both must be visible."""
    now = _now(now)
    authorize(operation, actor, "link")
    if workflow not in LINKABLE:
        raise InvalidInput("行动只能关联事件、执法案件或监督检查", code="operation_link_workflow")
    data = {"workflow": workflow, "object_id": object_id}
    commit(operation, actor=actor, action="link", to=None, now=now, note=note.strip(), data=data)
    link_records(
        actor=actor,
        source=RecordRef(WORKFLOW_NAME, operation.pk),
        target=RecordRef(workflow, object_id),
        kind=LINKABLE[workflow],
        note=note,
    )
