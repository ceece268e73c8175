"""What every step of a meeting and of a decision shares: authorise against the table, then compare-and-set the
record with its history and audit rows (`workflow.commit.commit_move`)."""

import datetime as dt
from typing import Any

from grassroots.workflow.commit import Moved, commit_move

from ..models import Meeting, MeetingHistory, MeetingTask
from ..permissions import meeting_actor_kinds, task_actor_kinds
from ..rules import MEETING, MEETING_TASK

STALE = ("stale_meeting", "会议已被他人处理或已变化，请刷新后重试")
STALE_TASK = ("stale_meeting_task", "督办事项已被他人处理或已变化，请刷新后重试")
TASK_CLOCK = "decision"


def authorize(meeting: Meeting, actor: Any, action: str) -> set[str]:
    kinds = meeting_actor_kinds(meeting, actor)
    MEETING.authorize(action, meeting.status, kinds, what="会议")
    return kinds


def authorize_task(task: MeetingTask, actor: Any, action: str) -> set[str]:
    kinds = task_actor_kinds(task, actor)
    MEETING_TASK.authorize(action, task.status, kinds, what="督办事项")
    return kinds


def _clean(data: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (data or {}).items() if v not in (None, "", [])}


def commit(
    meeting: Meeting,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Moved:
    """Move the meeting (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    payload = _clean(data)

    def history(record: Meeting, moved: Moved) -> MeetingHistory:
        return MeetingHistory.objects.create(
            meeting=record,
            action=action,
            from_status=moved.from_status,
            to_status=moved.to_status,
            actor=actor,
            at=moved.at,
            note=note,
            data=payload,
        )

    moved, _ = commit_move(
        meeting,
        workflow="meeting",
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=payload,
        now=now,
        stale=STALE,
        **fields,
    )
    return moved


def commit_task(
    task: MeetingTask,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Moved:
    """The same for a decision; its history rows sit with its meeting's, marked with the task."""
    payload = _clean(data)

    def history(record: MeetingTask, moved: Moved) -> MeetingHistory:
        return MeetingHistory.objects.create(
            meeting_id=record.meeting_id,
            task=record,
            action=f"task.{action}",
            from_status=moved.from_status,
            to_status=moved.to_status,
            actor=actor,
            at=moved.at,
            note=note,
            data=payload,
        )

    moved, _ = commit_move(
        task,
        workflow="meeting_task",
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=payload,
        now=now,
        stale=STALE_TASK,
        **fields,
    )
    return moved
