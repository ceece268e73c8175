"""Arranging a meeting and the steps of its sitting: who is asked, the agenda (each item may name a record of any
linked workflow), holding it with attendance, the minutes, their sign-off, cancelling. Decisions are in
`tasks.py`, the Word file in `documents.py`; the table is `rules.TABLE`."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, guard_record_exists, guard_workflow_known, link_records

from ..choices import Forum, MeetingKind, MeetingStatus, Presence
from ..models import AgendaItem, Attendance, CoordinatingGroup, Meeting, MeetingHistory
from ..permissions import covers_township, may_convene
from .common import authorize, commit

_TZ8 = dt.timezone(dt.timedelta(hours=8))


def meeting_number(meeting: Meeting) -> str:
    return f"HY{meeting.starts_at.astimezone(_TZ8):%Y%m%d}-{meeting.pk:05d}"


def guard_kind(kind: str, forum: str) -> None:
    if kind not in MeetingKind.values:
        raise InvalidInput("没有这种会议类型", code="meeting_bad_kind", details={"kind": kind})
    if forum not in Forum.values:
        raise InvalidInput("没有这个平台", code="meeting_bad_forum", details={"forum": forum})


def guard_township(actor: Any, township: Division) -> None:
    if township.level != DivisionLevel.TOWNSHIP:
        raise InvalidInput("会议须属于一个乡镇街道", code="meeting_not_township")
    if not actor.is_superuser and not covers_township(actor, township.code):
        raise Forbidden("您无权为该乡镇街道安排会议", code="not_permitted")


@transaction.atomic
def meeting_create(
    *,
    actor: Person,
    kind: str,
    forum: str,
    township: Division,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    convenor: Person | None = None,
    invite_group: bool = True,
    attendees: Iterable[Person] = (),
    units: Iterable[Unit] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """安排会议: the group of its township and platform is asked (its leader and the heads of its member units)
    unless told otherwise, plus anyone named."""
    now = now or timezone.now()
    if not may_convene(actor):
        raise Forbidden("您的岗位不安排会议", code="not_permitted")
    guard_kind(kind, forum)
    guard_township(actor, township)
    title = title.strip()
    if not title:
        raise InvalidInput("请填写会议名称", code="meeting_title_required", details={"title": ""})
    group = CoordinatingGroup.objects.filter(township=township, forum=forum, is_active=True).first()
    convenor = convenor or (group.leader if group and group.leader_id else None) or actor
    meeting = Meeting.objects.create(
        kind=kind,
        forum=forum,
        township=township,
        group=group,
        title=title[:100],
        starts_at=starts_at,
        place=place.strip()[:100],
        convenor=convenor,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    meeting.number = meeting_number(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(number=meeting.number)
    asked: dict[tuple[int | None, int | None], Attendance] = {}

    def ask(person: Person | None, unit: Unit | None) -> None:
        key = (person.pk if person else None, None if person else (unit.pk if unit else None))
        if key not in asked:
            asked[key] = Attendance(meeting=meeting, person=person, unit=unit)

    ask(convenor, convenor.unit)
    if group is not None and invite_group:
        if group.leader is not None:
            ask(group.leader, group.leader.unit)
        for member in group.members.select_related("person", "unit"):
            ask(member.person, member.unit)
    for person in attendees:
        ask(person, person.unit)
    for unit in units:
        ask(None, unit)
    Attendance.objects.bulk_create(asked.values())
    data = {"kind": kind, "forum": forum, "group": group.pk if group else None, "invited": len(asked)}
    MeetingHistory.objects.create(
        meeting=meeting, action="create", to_status=meeting.status, actor=actor, at=now, note=note, data=data
    )
    audit_record(actor=actor, action="meeting.create", obj=meeting, detail=data)
    return meeting


@transaction.atomic
def meeting_invite(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person | None = None,
    unit: Unit | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Attendance:
    authorize(meeting, actor, "invite")
    if person is None and unit is None:
        raise InvalidInput("请选择参会人员或单位", code="attendee_required")
    if person is not None and meeting.attendances.filter(person=person).exists():
        raise Conflict(f"{person.name}已在参会名单中", code="attendee_exists")
    who = person.name if person else str(unit)
    commit(
        meeting,
        actor=actor,
        action="invite",
        to=None,
        now=now or timezone.now(),
        note=note,
        data={"who": who},
    )
    return Attendance.objects.create(
        meeting=meeting, person=person, unit=unit or (person.unit if person else None), note=note[:200]
    )


def _ref(actor: Any, workflow: str, record_id: int | None) -> RecordRef | None:
    """The record an agenda item names, if any: its workflow must be registered for links and the actor must see
    the record (`link_workflow_unknown` 422, `link_record_not_found` 404)."""
    workflow = workflow.strip()
    if not workflow and record_id is None:
        return None
    if not workflow or record_id is None:
        raise InvalidInput("关联记录须同时给出类型和编号", code="agenda_ref_incomplete")
    ref = RecordRef(workflow, int(record_id))
    guard_workflow_known(ref)
    guard_record_exists(actor, ref)
    return ref


@transaction.atomic
def meeting_add_agenda(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    note: str = "",
    workflow: str = "",
    record_id: int | None = None,
    now: dt.datetime | None = None,
) -> AgendaItem:
    """增加议题; the record it discusses is linked to the meeting (关联), so the record's page shows the meeting."""
    authorize(meeting, actor, "add_agenda")
    title = title.strip()
    if not title:
        raise InvalidInput("请填写议题", code="agenda_title_required", details={"title": ""})
    ref = _ref(actor, workflow, record_id)
    data = {"title": title, "ref": list(ref) if ref else None}
    commit(meeting, actor=actor, action="add_agenda", to=None, now=now or timezone.now(), data=data)
    last = meeting.agenda.aggregate(n=Max("position"))["n"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title[:200],
        note=note.strip(),
        ref_workflow=ref.workflow if ref else "",
        ref_id=ref.object_id if ref else None,
    )
    if ref is not None:
        try:
            link_records(
                actor=actor,
                source=ref,
                target=RecordRef("meeting", meeting.pk),
                kind=LinkKind.RELATED,
                note=f"会议议题：{item.title}"[:200],
            )
        except Conflict as exc:  # a second item on the same record: the link is there already
            if exc.code != "link_exists":
                raise
    return item


def _set_presence(meeting: Meeting, rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    known = set(meeting.attendances.values_list("pk", flat=True))
    unknown = [r["id"] for r in rows if r["id"] not in known]
    if unknown:
        raise InvalidInput("参会记录不属于本次会议", code="attendance_unknown", details={"ids": unknown})
    for row in rows:
        if row["presence"] not in (Presence.PRESENT, Presence.ABSENT, Presence.LEAVE):
            raise InvalidInput("出席情况应为出席、缺席或请假", code="presence_unknown")
    changed = {}
    for row in rows:
        Attendance.objects.filter(pk=row["id"]).update(
            presence=row["presence"], note=(row.get("note") or "")[:200]
        )
        changed[row["id"]] = row["presence"]
    return changed


@transaction.atomic
def meeting_hold(
    *,
    actor: Any,
    meeting: Meeting,
    attendance: Sequence[dict[str, Any]],
    note: str = "",
    now: dt.datetime | None = None,
) -> None:
    """召开: attendance as taken at the door; whoever was asked and is not marked present or on leave was absent."""
    authorize(meeting, actor, "hold")
    now = now or timezone.now()
    present = sum(1 for r in attendance if r["presence"] == Presence.PRESENT)
    commit(
        meeting,
        actor=actor,
        action="hold",
        to=MeetingStatus.HELD,
        now=now,
        note=note,
        data={"present": present},
        held_at=now,
    )
    _set_presence(meeting, attendance)
    meeting.attendances.filter(presence=Presence.INVITED).update(presence=Presence.ABSENT)


@transaction.atomic
def meeting_record_attendance(
    *, actor: Any, meeting: Meeting, attendance: Sequence[dict[str, Any]], note: str = ""
) -> None:
    authorize(meeting, actor, "record_attendance")
    data = {"changed": len(attendance)}
    commit(
        meeting, actor=actor, action="record_attendance", to=None, now=timezone.now(), note=note, data=data
    )
    _set_presence(meeting, attendance)


@transaction.atomic
def meeting_record_minutes(
    *, actor: Any, meeting: Meeting, minutes: str, now: dt.datetime | None = None
) -> None:
    authorize(meeting, actor, "record_minutes")
    text = minutes.strip()
    if not text:
        raise InvalidInput("请填写会议纪要", code="minutes_required", details={"minutes": ""})
    data = {"length": len(text)}
    commit(
        meeting,
        actor=actor,
        action="record_minutes",
        to=None,
        now=now or timezone.now(),
        data=data,
        minutes=text,
    )


@transaction.atomic
def meeting_approve_minutes(
    *, actor: Any, meeting: Meeting, note: str = "", now: dt.datetime | None = None
) -> None:
    """审定纪要: only minutes that were written; the meeting's record is final from now on."""
    authorize(meeting, actor, "approve_minutes")
    if not meeting.minutes.strip():
        raise InvalidInput("会议纪要尚未记录，不能审定", code="minutes_required")
    now = now or timezone.now()
    commit(
        meeting,
        actor=actor,
        action="approve_minutes",
        to=MeetingStatus.CLOSED,
        now=now,
        note=note,
        minutes_approved_by=actor,
        minutes_approved_at=now,
    )


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str, now: dt.datetime | None = None) -> None:
    authorize(meeting, actor, "cancel")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("取消会议须说明理由", code="reason_required", details={"reason": ""})
    commit(
        meeting,
        actor=actor,
        action="cancel",
        to=MeetingStatus.CANCELLED,
        now=now or timezone.now(),
        note=reason,
        cancel_reason=reason,
    )
