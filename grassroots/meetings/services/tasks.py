"""Decisions as tasks (会议决定事项督办): recorded at a held meeting with an owner and a limit in working days, a
workflow clock each (warned at 80%, overdue after the limit by the one timer worker), tracked to done."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import InvalidInput
from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_start, clock_stop
from grassroots.workflow.models import Clock

from ..choices import TaskStatus
from ..models import Meeting, MeetingHistory, MeetingTask
from .common import TASK_CLOCK, authorize, authorize_task, commit, commit_task

MAX_LIMIT_DAYS = 90


def owner_ids(task: MeetingTask) -> list[int]:
    """Who is told about a decision: the person named, else the staff of the unit named."""
    if task.owner_person_id:
        return [task.owner_person_id]
    if task.owner_unit_id:
        return sorted(unit_staff_ids([task.owner_unit_id]))
    return []


def guard_owner(unit: Unit | None, person: Person | None) -> None:
    if unit is None and person is None:
        raise InvalidInput("请指定责任单位或责任人", code="task_owner_required")
    if unit is not None and not unit.is_active:
        raise InvalidInput("责任单位已停用", code="task_owner_inactive", details={"owner_unit_id": unit.pk})
    if person is not None and not person.is_active:
        raise InvalidInput(
            "责任人账号已停用", code="task_owner_inactive", details={"owner_person_id": person.pk}
        )


def guard_limit(days: int) -> None:
    if not 1 <= days <= MAX_LIMIT_DAYS:
        raise InvalidInput(
            f"办理时限应为 1 至 {MAX_LIMIT_DAYS} 个工作日",
            code="task_limit_out_of_range",
            details={"limit_days": days},
        )


@transaction.atomic
def meeting_decide(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    limit_days: int,
    owner_unit: Unit | None = None,
    owner_person: Person | None = None,
    agenda_item_id: int | None = None,
    now: dt.datetime | None = None,
) -> MeetingTask:
    """登记决定事项: the task's clock counts `limit_days` working days from the next day (the legal reading of
    "N 工作日": to the close of the Nth working day, holidays and 调休 per the calendar)."""
    authorize(meeting, actor, "decide")
    text = text.strip()
    if not text:
        raise InvalidInput("请填写决定事项", code="task_text_required", details={"text": ""})
    guard_owner(owner_unit, owner_person)
    guard_limit(limit_days)
    if agenda_item_id is not None and not meeting.agenda.filter(pk=agenda_item_id).exists():
        raise InvalidInput(
            "议题不属于本次会议", code="agenda_item_unknown", details={"agenda_item_id": agenda_item_id}
        )
    now = (now or timezone.now()).replace(microsecond=0)
    owner_unit = owner_unit or (owner_person.unit if owner_person is not None else None)
    owner = " · ".join(x for x in (str(owner_unit or ""), owner_person.name if owner_person else "") if x)
    commit(meeting, actor=actor, action="decide", to=None, now=now, data={"text": text[:200], "owner": owner})
    task = MeetingTask.objects.create(
        meeting=meeting,
        agenda_item_id=agenda_item_id,
        text=text,
        owner_unit=owner_unit,
        owner_person=owner_person,
        limit_days=limit_days,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    # The meeting's compare-and-set above serialises decisions on one meeting, so the count is the sequence.
    task.number = f"{meeting.number}-{meeting.tasks.count():02d}"
    change = clock_start(
        workflow="meeting_task",
        object_id=task.pk,
        name=TASK_CLOCK,
        unit=LimitUnit.WORKING_DAYS,
        statutory=limit_days,
        limit_source=f"{meeting.number} 会议决定：{limit_days} 工作日",
        from_next_day=True,
        now=now,
    )
    task.due_at = change.clock.due_at
    MeetingTask.objects.filter(pk=task.pk).update(number=task.number, due_at=task.due_at)
    MeetingHistory.objects.create(
        meeting=meeting,
        task=task,
        action="task.create",
        to_status=task.status,
        actor=actor,
        at=now,
        data=change.data,
    )
    notify_after_commit(
        person_ids=owner_ids(task),
        verb="meeting_task_assigned",
        text=f"会议督办：{task.text[:60]}（{meeting.title}，{limit_days} 个工作日内办结）",
    )
    return task


def running_clock(task: MeetingTask) -> Clock | None:
    return (
        Clock.objects.filter(workflow="meeting_task", object_id=task.pk, name=TASK_CLOCK)
        .exclude(state=ClockState.STOPPED)
        .first()
    )


def _stop(task: MeetingTask, *, actor: Any, result: str, now: dt.datetime) -> bool:
    """Stop the task's clock; whether it was late (the clock's final word)."""
    clock = running_clock(task)
    if clock is None:
        return task.late
    change = clock_stop(clock=clock, result=result, actor=actor, now=now)
    return bool(change.clock.overdue)


@transaction.atomic
def task_complete(*, actor: Any, task: MeetingTask, done_note: str, now: dt.datetime | None = None) -> None:
    """办结: the owner (or the meeting's organiser) says what was done; on time or late, as the clock says."""
    authorize_task(task, actor, "complete")
    done_note = done_note.strip()
    if not done_note:
        raise InvalidInput("请填写办结情况", code="done_note_required", details={"done_note": ""})
    now = (now or timezone.now()).replace(microsecond=0)
    commit_task(
        task,
        actor=actor,
        action="complete",
        to=TaskStatus.DONE,
        now=now,
        note=done_note,
        done_note=done_note,
        done_at=now,
        done_by=actor,
    )
    late = _stop(task, actor=actor, result="done", now=now)
    if late != task.late:
        MeetingTask.objects.filter(pk=task.pk).update(late=late)
        task.late = late


@transaction.atomic
def task_withdraw(*, actor: Any, task: MeetingTask, reason: str, now: dt.datetime | None = None) -> None:
    authorize_task(task, actor, "withdraw")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("撤销督办事项须说明理由", code="reason_required", details={"reason": ""})
    now = (now or timezone.now()).replace(microsecond=0)
    commit_task(
        task, actor=actor, action="withdraw", to=TaskStatus.CANCELLED, now=now, note=reason, done_note=reason
    )
    _stop(task, actor=actor, result="withdrawn", now=now)


# -- the timer worker's handlers (registered in registry.py) -----------------------------------------------------


def task_warn(clock: Clock, now: dt.datetime) -> None:
    task = (
        MeetingTask.objects.select_related("meeting")
        .filter(pk=clock.object_id, status=TaskStatus.OPEN)
        .first()
    )
    if task is None:
        return
    MeetingHistory.objects.create(meeting_id=task.meeting_id, task=task, action="task.warn", at=now)
    notify_after_commit(
        person_ids=owner_ids(task),
        verb="meeting_task_due_soon",
        text=f"督办事项 {task.number} 临近办结期限：{task.text[:60]}",
    )


def task_overdue(clock: Clock, now: dt.datetime) -> None:
    """Overdue: the task is flagged late (red in the owner's inbox and counted against the owner's unit), and the
    owner and the convenor are told."""
    task = (
        MeetingTask.objects.select_related("meeting")
        .filter(pk=clock.object_id, status=TaskStatus.OPEN)
        .first()
    )
    if task is None:
        return
    MeetingTask.objects.filter(pk=task.pk).update(late=True)
    MeetingHistory.objects.create(meeting_id=task.meeting_id, task=task, action="task.overdue", at=now)
    notify_after_commit(
        person_ids=sorted({*owner_ids(task), task.meeting.convenor_id}),
        verb="meeting_task_overdue",
        text=f"督办事项 {task.number} 已超期：{task.text[:60]}",
    )
