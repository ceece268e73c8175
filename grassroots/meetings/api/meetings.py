"""Meetings through the API (/api/v1/meetings): the list in the caller's scope, one meeting, arranging one, one
endpoint per step declared in `meetings/steps.py` (made by the workflow core; `If-Match` checks the version), and
the decisions under /tasks with their own steps."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answer
from ninja.params import P, QueryEx

from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.events.schemas import ErrorOut
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version
from grassroots.workflow.links import links_of

from ..models import Meeting, MeetingTask
from ..permissions import (
    access_meeting,
    access_task,
    meeting_actor_kinds,
    task_actor_kinds,
    tasks_visible_to,
    visible_to,
)
from ..selectors import meetings_filtered, task_lights, tasks_owned
from ..services.meetings import meeting_create
from ..steps import MEETING_FLOW, TASK_FLOW
from .schemas import (
    MeetingAgendaOut,
    MeetingAttendanceOut,
    MeetingCreateIn,
    MeetingDetailOut,
    MeetingDocumentOut,
    MeetingListItemOut,
    MeetingListOut,
    MeetingListQuery,
    MeetingTaskDetailOut,
    MeetingTaskListOut,
    MeetingTaskOut,
)

router = Router(tags=["meetings"])
tasks_router = Router(tags=["meetings"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _list_fields(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "number": m.number or "",
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "forum": m.forum,
        "forum_label": m.get_forum_display(),
        "township": m.township.name,
        "title": m.title,
        "starts_at": m.starts_at,
        "place": m.place,
        "convenor": m.convenor.name,
        "status": m.status,
        "status_label": m.get_status_display(),
        "version": m.version,
    }


def task_out(t: MeetingTask, lights: dict[int, Any]) -> dict[str, Any]:
    return {
        "id": t.pk,
        "meeting_id": t.meeting_id,
        "number": t.number or "",
        "text": t.text,
        "owner_unit_id": t.owner_unit_id,
        "owner_person_id": t.owner_person_id,
        "owner": t.owner_label,
        "limit_days": t.limit_days,
        "due_at": t.due_at,
        "status": t.status,
        "status_label": t.get_status_display(),
        "light": lights[t.pk].light,
        "light_label": lights[t.pk].label,
        "late": t.late,
        "done_note": t.done_note,
        "done_at": t.done_at,
        "version": t.version,
    }


def detail_of(person: Person, meeting_id: int) -> MeetingDetailOut:
    m = access_meeting(person, meeting_id)
    seen = {(s.workflow, s.object_id): s for s in links_of(viewer=person, workflow="meeting", object_id=m.pk)}
    tasks = list(m.tasks.select_related("owner_unit", "owner_person").order_by("pk"))
    lights = task_lights(tasks, timezone.now())
    agenda = []
    for item in m.agenda.all():
        link = seen.get((item.ref_workflow, item.ref_id or 0))
        agenda.append(
            MeetingAgendaOut(
                id=item.pk,
                position=item.position,
                title=item.title,
                note=item.note,
                workflow=item.ref_workflow,
                record_id=item.ref_id,
                record_title=f"{link.workflow_label} {link.title}" if link else "",
                record_url=link.url if link else "",
            )
        )
    return MeetingDetailOut(
        **_list_fields(m),
        group=m.group.name if m.group else "",
        held_at=m.held_at,
        minutes=m.minutes,
        minutes_approved_at=m.minutes_approved_at,
        cancel_reason=m.cancel_reason,
        attendances=[
            MeetingAttendanceOut(
                id=a.pk,
                person_id=a.person_id,
                name=a.person.name if a.person else "",
                unit=str(a.unit or ""),
                presence=a.presence,
                presence_label=a.get_presence_display(),
                note=a.note,
            )
            for a in m.attendances.select_related("person", "unit")
        ],
        agenda=agenda,
        tasks=[MeetingTaskOut(**task_out(t, lights)) for t in tasks],
        documents=[
            MeetingDocumentOut(
                id=d.pk,
                sha256=d.sha256,
                size=d.size,
                generated_at=d.generated_at,
                url=reverse("meetings:document", args=[m.pk, d.pk]),
            )
            for d in m.documents.all()
        ],
        allowed_actions=MEETING_FLOW.allowed(m.status, meeting_actor_kinds(m, person)),
    )


@router.get(
    "",
    response={200: MeetingListOut, **ERRORS},
    summary="会议列表（按范围，开会时间新的在前，游标分页）",
    operation_id="meeting_list",
)
def meeting_list(request: HttpRequest, query: Query[MeetingListQuery]) -> MeetingListOut:
    rows = meetings_filtered(
        visible_to(person_of(request)),
        kind=query.kind or "",
        forum=query.forum or "",
        status=query.status or "",
    )
    ordered = rows.select_related("township", "convenor").order_by("-starts_at", "-id")
    page, after = page_after(ordered, field="starts_at", cursor=query.cursor, limit=query.limit)
    return MeetingListOut(items=[MeetingListItemOut(**_list_fields(m)) for m in page], next=after)


@router.get(
    "/{int:meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="会议详情：参会与出席、议题及关联记录、纪要、决定事项（督办）和调用者可执行的步骤",
    operation_id="meeting_read",
)
def meeting_read(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    return detail_of(person_of(request), meeting_id)


@router.post(
    "",
    response={201: MeetingDetailOut, **ERRORS},
    summary="安排会议（指挥室、平台协调人员、领导）；默认邀请本乡镇该平台协调组",
    operation_id="meeting_create",
)
def meeting_create_view(request: HttpRequest, payload: MeetingCreateIn) -> Answer[MeetingDetailOut]:
    person = person_of(request)
    township = None
    if payload.township_id is not None:
        township = Division.objects.filter(pk=payload.township_id, level=DivisionLevel.TOWNSHIP).first()
    elif person.region_code:
        township = Division.objects.filter(code=person.region_code[:9], level=DivisionLevel.TOWNSHIP).first()
    if township is None:
        raise InvalidInput(
            "请指定乡镇街道", code="meeting_not_township", details={"township_id": payload.township_id}
        )
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=[*payload.attendee_ids, payload.convenor_id or 0])
    }
    missing = [pk for pk in payload.attendee_ids if pk not in people]
    if missing or (payload.convenor_id and payload.convenor_id not in people):
        raise InvalidInput("参会人员不存在", code="attendee_unknown", details={"ids": missing})
    meeting = meeting_create(
        actor=person,
        kind=payload.kind,
        forum=payload.forum,
        township=township,
        title=payload.title,
        starts_at=payload.starts_at,
        place=payload.place,
        convenor=people.get(payload.convenor_id or 0),
        invite_group=payload.invite_group,
        attendees=[people[pk] for pk in payload.attendee_ids],
        note=payload.note,
    )
    return Answer(201, detail_of(person, meeting.pk))


def _load(request: HttpRequest, meeting_id: int, if_match: str | None) -> Meeting:
    meeting = access_meeting(person_of(request), meeting_id)
    check_version(meeting.version, if_match, code="stale_meeting", what="会议")
    return meeting


RESOURCE = Resource(
    id_name="meeting_id",
    prefix="meeting",
    actor=person_of,
    load=_load,
    answer=lambda request, meeting, action: detail_of(person_of(request), meeting.pk),
    response={200: MeetingDetailOut, **ERRORS},
    if_match="可选：客户端所见的会议版本（version）；与当前版本不符时返回 409 stale_meeting",
    schema_prefix="Meeting",
)
add_step_endpoints(router, RESOURCE, MEETING_FLOW)


# -- decisions (督办事项) ----------------------------------------------------------------------------------------


def task_detail_of(person: Person, task_id: int) -> MeetingTaskDetailOut:
    task = access_task(person, task_id)
    lights = task_lights([task], timezone.now())
    allowed = TASK_FLOW.allowed(task.status, task_actor_kinds(task, person))
    return MeetingTaskDetailOut(**task_out(task, lights), allowed_actions=allowed)


@tasks_router.get(
    "",
    response={200: MeetingTaskListOut, **ERRORS},
    summary="督办事项：默认为本人（或本单位）负责的未办结事项，期限近的在前",
    operation_id="meeting_task_list",
)
def task_list(
    request: HttpRequest,
    mine: QueryEx[bool, P(description="true：本人或本单位负责的；false：范围内全部")] = True,
    open_only: QueryEx[bool, P(alias="open", description="只列未办结的")] = True,
    overdue: QueryEx[bool, P(description="只列已超期的")] = False,
    limit: QueryEx[int, P(ge=1, le=200)] = 100,
) -> MeetingTaskListOut:
    person = person_of(request)
    if mine:
        rows = tasks_owned(person, open_only=open_only)
    else:
        rows = tasks_visible_to(person).select_related("owner_unit", "owner_person").order_by("due_at", "pk")
        if open_only:
            rows = rows.filter(status="open")
    if overdue:
        rows = rows.filter(late=True)
    tasks = list(rows[:limit])
    lights = task_lights(tasks, timezone.now())
    return MeetingTaskListOut(items=[MeetingTaskOut(**task_out(t, lights)) for t in tasks])


@tasks_router.get(
    "/{int:task_id}",
    response={200: MeetingTaskDetailOut, **ERRORS},
    summary="督办事项详情与调用者可执行的步骤",
    operation_id="meeting_task_read",
)
def task_read(request: HttpRequest, task_id: int) -> MeetingTaskDetailOut:
    return task_detail_of(person_of(request), task_id)


def _load_task(request: HttpRequest, task_id: int, if_match: str | None) -> MeetingTask:
    task = access_task(person_of(request), task_id)
    check_version(task.version, if_match, code="stale_meeting_task", what="督办事项")
    return task


TASK_RESOURCE = Resource(
    id_name="task_id",
    prefix="meeting_task",
    actor=person_of,
    load=_load_task,
    answer=lambda request, task, action: task_detail_of(person_of(request), task.pk),
    response={200: MeetingTaskDetailOut, **ERRORS},
    if_match="可选：客户端所见的督办事项版本（version）；与当前版本不符时返回 409 stale_meeting_task",
    schema_prefix="MeetingTask",
)
add_step_endpoints(tasks_router, TASK_RESOURCE, TASK_FLOW)
router.add_router("/tasks", tasks_router)
