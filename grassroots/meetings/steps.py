"""Each step of a meeting and of a decision as people and programs take it: its input schema, its words and its one
service call. With `rules.py` this is the whole declaration: `POST /api/v1/meetings/{id}/<action>`,
`POST /api/v1/meetings/tasks/{id}/<action>` and the pages' forms are made from it."""

from dataclasses import replace
from typing import Any, TypeVar

from django.db.models import Model

from grassroots.core.errors import InvalidInput
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step

from .rules import MEETING, MEETING_TASK
from .schemas import AgendaIn, AttendanceIn, DecisionIn, DoneIn, InviteIn, MinutesIn, NoteIn, ReasonIn
from .services import documents, meetings, tasks

M = TypeVar("M", bound=Model)
ORGANISER = "会议召集人、登记人、协调组办公室或本乡镇指挥室、平台协调人员"


def _get(model: type[M], pk: int | None, code: str, field: str) -> M | None:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise InvalidInput("所选对象不存在", code=code, details={field: pk})
    return found


def _invite(actor: Any, m: Any, p: InviteIn, files: list[Any]) -> Any:
    return meetings.meeting_invite(
        actor=actor,
        meeting=m,
        person=_get(Person, p.person_id, "attendee_unknown", "person_id"),
        unit=_get(Unit, p.unit_id, "attendee_unknown", "unit_id"),
        note=p.note,
    )


def _rows(p: AttendanceIn) -> list[dict[str, Any]]:
    return [r.model_dump() for r in p.attendance]


def _decide(actor: Any, m: Any, p: DecisionIn, files: list[Any]) -> Any:
    return tasks.meeting_decide(
        actor=actor,
        meeting=m,
        text=p.text,
        limit_days=p.limit_days,
        owner_unit=_get(Unit, p.owner_unit_id, "task_owner_unknown", "owner_unit_id"),
        owner_person=_get(Person, p.owner_person_id, "task_owner_unknown", "owner_person_id"),
        agenda_item_id=p.agenda_item_id,
    )


STEPS = [
    Step("invite", InviteIn, f"增加参会人员或单位（{ORGANISER}）", _invite),
    Step(
        "add_agenda",
        AgendaIn,
        f"增加议题，可关联事件、执法案件、办件、检查等记录（{ORGANISER}）",
        lambda actor, m, p, f: meetings.meeting_add_agenda(
            actor=actor, meeting=m, title=p.title, note=p.note, workflow=p.workflow, record_id=p.record_id
        ),
    ),
    Step(
        "hold",
        AttendanceIn,
        f"召开会议并签到：出席、缺席或请假，未签到的记为缺席（{ORGANISER}）",
        lambda actor, m, p, f: meetings.meeting_hold(
            actor=actor, meeting=m, attendance=_rows(p), note=p.note
        ),
    ),
    Step(
        "record_attendance",
        AttendanceIn,
        f"更正出席情况（{ORGANISER}）",
        lambda actor, m, p, f: meetings.meeting_record_attendance(
            actor=actor, meeting=m, attendance=_rows(p), note=p.note
        ),
        folded=True,
    ),
    Step(
        "record_minutes",
        MinutesIn,
        f"记录会议纪要（{ORGANISER}）",
        lambda actor, m, p, f: meetings.meeting_record_minutes(actor=actor, meeting=m, minutes=p.minutes),
    ),
    Step(
        "decide",
        DecisionIn,
        f"登记决定事项：责任单位或责任人、办理时限（工作日），按时限督办（{ORGANISER}）",
        _decide,
    ),
    Step(
        "approve_minutes",
        NoteIn,
        "审定会议纪要（召集人或本乡镇领导）",
        lambda actor, m, p, f: meetings.meeting_approve_minutes(actor=actor, meeting=m, note=p.note),
    ),
    Step(
        "export_minutes",
        NoteIn,
        "导出会议纪要 Word 文件，留存文件摘要（组织者、召集人）",
        lambda actor, m, p, f: documents.meeting_export_minutes(actor=actor, meeting=m),
    ),
    Step(
        "cancel",
        ReasonIn,
        f"取消尚未召开的会议，须说明理由（{ORGANISER}）",
        lambda actor, m, p, f: meetings.meeting_cancel(actor=actor, meeting=m, reason=p.reason),
        folded=True,
        labels={"reason": "取消理由"},
    ),
]
MEETING_FLOW = replace(MEETING, steps=STEPS)

TASK_STEPS = [
    Step(
        "complete",
        DoneIn,
        "办结督办事项，写明办理情况（责任人或责任单位人员、会议组织者）",
        lambda actor, t, p, f: tasks.task_complete(actor=actor, task=t, done_note=p.done_note),
    ),
    Step(
        "withdraw",
        ReasonIn,
        "撤销督办事项，须说明理由（会议组织者）",
        lambda actor, t, p, f: tasks.task_withdraw(actor=actor, task=t, reason=p.reason),
        folded=True,
        labels={"reason": "撤销理由"},
    ),
]
TASK_FLOW = replace(MEETING_TASK, steps=TASK_STEPS)
