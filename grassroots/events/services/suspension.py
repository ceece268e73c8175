"""挂起: a handling unit asks to suspend an event in hand, the shift lead approves or rejects, and the unit or the
lead resumes it. While suspended the stage clock is paused: the event has no deadline (the timer passes it by)
and on resume every deadline moves out by exactly the time the pause covered, in the clock's own measure."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput, NotFound
from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.people.actors import Actor
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit

from ..choices import (
    ACTIVE_ASSIGNMENT,
    OPEN_SUSPENSION,
    AssignmentStatus,
    Status,
    SuspensionKind,
    SuspensionStatus,
)
from ..clock import limit_for
from ..models import Assignment, Event, Suspension
from ..routing import task_staff_ids, triage_unit_for
from .core import authorize, authorize_holder, commit_step

SUSPENDABLE = frozenset({Status.SIGNED, Status.HANDLING})


# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_no_open_suspension(event: Event) -> None:
    if Suspension.objects.filter(event=event, status__in=OPEN_SUSPENSION).exists():
        raise Conflict("已有待审批的挂起申请", code="suspension_pending")


def guard_pending(suspension: Suspension) -> None:
    if suspension.status != SuspensionStatus.PENDING:
        raise Conflict("该挂起申请已审批", code="suspension_decided")


def guard_suspendable(event: Event) -> None:
    if event.status not in SUSPENDABLE:
        raise Conflict(
            "事件已不在处置中，只能驳回该挂起申请",
            code="invalid_transition",
            details={"status": event.status},
        )


def _kind(value: Any) -> str:
    if value not in SuspensionKind.values:
        raise InvalidInput("请选择挂起事由", details={"kind": f"应为 {', '.join(SuspensionKind.values)}"})
    return str(value)


# -- services -----------------------------------------------------------------------------------------------


@transaction.atomic
def event_request_suspension(*, actor: Person, event: Event, kind: Any, reason: str) -> Suspension:
    """挂起申请: the clock keeps running until the lead approves. The table refuses it on a suspended event."""
    assignment = authorize_holder(
        event, actor, "request_suspension", {AssignmentStatus.SIGNED, AssignmentStatus.HANDLING}
    )
    kind = _kind(kind)
    if not reason.strip():
        raise InvalidInput("请填写挂起说明", details={"reason": "必填"})
    guard_no_open_suspension(event)
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="request_suspension",
        note=reason,
        unit_id=assignment.unit_id,
        now=now,
        data={"kind": kind},
    )
    suspension = Suspension.objects.create(
        event=event, assignment=assignment, kind=kind, reason=reason, requested_by=actor, requested_at=now
    )
    triage = triage_unit_for(event, event.level)
    if triage is not None:
        notify_after_commit(
            person_ids=unit_staff_ids([triage.pk]),
            verb="suspension",
            text=f"{assignment.unit}申请挂起事件 {event.number}（{SuspensionKind(kind).label}）：{reason}",
            event_id=event.pk,
        )
    return suspension


@transaction.atomic
def event_decide_suspension(
    *, actor: Actor, event: Event, suspension_id: int, approve: bool, note: str = ""
) -> Event:
    """审批挂起: approval suspends the event and pauses its clock (the deadline is kept in the ledger row)."""
    authorize(event, actor, "decide_suspension")
    suspension = Suspension.objects.filter(pk=suspension_id, event=event).first()
    if suspension is None:
        raise NotFound("挂起申请不存在", code="no_suspension_request")
    guard_pending(suspension)
    if approve:
        guard_suspendable(event)
    now = timezone.now()
    data: dict[str, Any] = {"suspension": suspension.pk, "approve": approve, "kind": suspension.kind}
    if approve:
        paused = {"deadline": event.deadline, "warn_at": event.warn_at, "from_status": event.status}
        data["paused_deadline"] = event.deadline.isoformat() if event.deadline else None
        commit_step(
            event,
            actor=actor,
            action="decide_suspension",
            to=Status.SUSPENDED,
            note=note,
            unit_id=suspension.assignment.unit_id,
            now=now,
            data=data,
            deadline=None,
            warn_at=None,
        )
        Suspension.objects.filter(pk=suspension.pk).update(
            status=SuspensionStatus.ACTIVE,
            decided_by=actor,
            decided_at=now,
            decision_note=note,
            started_at=now,
            from_status=paused["from_status"],
            paused_deadline=paused["deadline"],
            paused_warn_at=paused["warn_at"],
        )
    else:
        commit_step(
            event,
            actor=actor,
            action="decide_suspension",
            note=note,
            unit_id=suspension.assignment.unit_id,
            now=now,
            data=data,
        )
        Suspension.objects.filter(pk=suspension.pk).update(
            status=SuspensionStatus.REJECTED, decided_by=actor, decided_at=now, decision_note=note
        )
    notify_after_commit(
        person_ids=[suspension.requested_by_id],
        verb="suspension_decided",
        text=f"事件 {event.number} 的挂起申请{'已批准，计时暂停' if approve else '被驳回'}",
        event_id=event.pk,
    )
    return event


def _moved(moment: dt.datetime | None, start: dt.datetime, end: dt.datetime, unit: str) -> dt.datetime | None:
    """`moment` pushed out by the pause [start, end] in the clock's measure."""
    if moment is None:
        return None
    return get_calendar().extend_for_pauses(moment, pauses=[(start, end)], unit=LimitUnit(unit), now=end)


def paused_seconds(start: dt.datetime, end: dt.datetime, unit: str) -> int:
    """What a pause covered in the clock's measure: working seconds, or wall-clock seconds for natural days."""
    if unit == LimitUnit.NATURAL_DAYS:
        return int((end - start).total_seconds())
    return get_calendar().working_seconds_between(start, end)


@transaction.atomic
def event_resume(*, actor: Actor, event: Event, note: str = "") -> Event:
    """恢复办理 (the unit, or the lead lifting it): the event returns to where it was, its deadlines (and its units')
    moved out by the paused time; a warning the new times no longer justify is cleared for the timer to give again.
    The table refuses it on an event that is not suspended."""
    authorize(event, actor, "resume")
    suspension = Suspension.objects.filter(event=event, status=SuspensionStatus.ACTIVE).first()
    if suspension is None or suspension.started_at is None:
        raise Conflict("找不到生效的挂起记录", code="not_suspended")
    now = timezone.now()
    start = suspension.started_at
    _, unit = limit_for(event.event_type, event.level)
    deadline = _moved(suspension.paused_deadline, start, now, unit)
    warn_at = _moved(suspension.paused_warn_at, start, now, unit)
    due_at = _moved(event.due_at, start, now, unit)
    seconds = paused_seconds(start, now, unit)
    fields: dict[str, Any] = {"deadline": deadline, "warn_at": warn_at, "due_at": due_at}
    fields["warned"] = event.warned and warn_at is not None and warn_at <= now
    fields["overdue"] = event.overdue and deadline is not None and deadline <= now
    commit_step(
        event,
        actor=actor,
        action="resume",
        to=suspension.from_status or Status.HANDLING,
        note=note,
        unit_id=suspension.assignment.unit_id,
        now=now,
        data={
            "suspension": suspension.pk,
            "paused_seconds": seconds,
            "old_deadline": suspension.paused_deadline.isoformat() if suspension.paused_deadline else None,
            "new_deadline": deadline.isoformat() if deadline else None,
        },
        **fields,
    )
    Suspension.objects.filter(pk=suspension.pk).update(
        status=SuspensionStatus.ENDED, ended_at=now, resumed_by=actor, paused_seconds=seconds
    )
    for assignment in Assignment.objects.filter(event=event, status__in=ACTIVE_ASSIGNMENT):
        Assignment.objects.filter(pk=assignment.pk).update(
            deadline=_moved(assignment.deadline, start, now, unit),
            warn_at=_moved(assignment.warn_at, start, now, unit),
        )
    holders = list(
        Assignment.objects.filter(event=event, status__in=ACTIVE_ASSIGNMENT).values_list("unit_id", flat=True)
    )
    notify_after_commit(
        person_ids=task_staff_ids(holders),
        verb="resume",
        text=f"事件 {event.number} 已恢复办理，期限顺延至 {timezone.localtime(deadline):%m-%d %H:%M}"
        if deadline
        else f"事件 {event.number} 已恢复办理",
        event_id=event.pk,
    )
    return event
