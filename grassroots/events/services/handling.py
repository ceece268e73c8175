"""处置反馈: the units sign for, handle, return or feed back their assignments, and ask for more time."""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import InvalidInput, NotFound
from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.people.actors import Actor
from grassroots.people.models import Person
from grassroots.workcal.calendar import days_text

from ..choices import (
    AssignmentRole,
    AssignmentStatus,
    AttachmentPhase,
    ExtensionStatus,
    Status,
)
from ..clock import close_due, extend, hours_clock
from ..models import Assignment, Event, ExtensionRequest
from ..routing import triage_unit_for
from .core import (
    authorize,
    authorize_holder,
    commit_step,
    move_assignments,
    require,
    reset_stage_clock,
    stage_clock_fields,
    triage_clock_fields,
)
from .intake import attachments_add

AS = AssignmentStatus


def _aggregate_status(event: Event) -> str:
    """The event's handling state from its active assignments: the least advanced one decides."""
    statuses = set(
        Assignment.objects.filter(event=event, round=event.rework_count + 1).values_list("status", flat=True)
    )
    if AS.DISPATCHED in statuses:
        return Status.DISPATCHED
    if AS.SIGNED in statuses:
        return Status.SIGNED if AS.HANDLING not in statuses else Status.HANDLING
    if AS.HANDLING in statuses:
        return Status.HANDLING
    return Status.FED_BACK


@transaction.atomic
def event_sign(*, actor: Person, event: Event, note: str = "") -> Event:
    """签收: the unit takes the assignment; the event is SIGNED once every unit has."""
    assignment = authorize_holder(event, actor, "sign", {AS.DISPATCHED})
    now = timezone.now()
    move_assignments(Assignment.objects.filter(pk=assignment.pk), "sign", signed_by=actor, signed_at=now)
    to = _aggregate_status(event)
    commit_step(event, actor=actor, action="sign", to=to, note=note, unit_id=assignment.unit_id, now=now)
    return event


@transaction.atomic
def event_handle(*, actor: Person, event: Event, note: str = "") -> Event:
    """开始处置: the unit records that work has started."""
    assignment = authorize_holder(event, actor, "handle", {AS.SIGNED, AS.HANDLING})
    move_assignments(Assignment.objects.filter(pk=assignment.pk), "handle")
    commit_step(
        event,
        actor=actor,
        action="handle",
        to=_aggregate_status(event),
        note=note,
        unit_id=assignment.unit_id,
    )
    return event


@transaction.atomic
def event_return(*, actor: Person, event: Event, reason: str) -> Event:
    """退回: not this unit's business. The lead's return sends the event back to triage; an assistant's drops out."""
    assignment = authorize_holder(event, actor, "return")
    if not reason.strip():
        raise InvalidInput("请填写退回原因", details={"reason": "必填"})
    now = timezone.now()
    move_assignments(
        Assignment.objects.filter(pk=assignment.pk), "return", returned_at=now, return_reason=reason
    )
    if assignment.role == AssignmentRole.LEAD:
        move_assignments(Assignment.objects.filter(event=event), "cancel")
        triage = triage_unit_for(event, event.level)
        commit_step(
            event,
            actor=actor,
            action="return",
            to=Status.REGISTERED,
            note=reason,
            unit_id=assignment.unit_id,
            now=now,
            return_count=event.return_count + 1,
            holder_unit=triage,
            data={"role": assignment.role},
            **triage_clock_fields(now),
        )
        if triage is not None:
            notify_after_commit(
                person_ids=unit_staff_ids([triage.pk]),
                verb="return",
                text=f"事件 {event.number} 被{assignment.unit}退回：{reason}",
                event_id=event.pk,
            )
    else:
        commit_step(
            event,
            actor=actor,
            action="return",
            to=_aggregate_status(event),
            note=reason,
            unit_id=assignment.unit_id,
            now=now,
            return_count=event.return_count + 1,
            data={"role": assignment.role},
        )
    return event


def _days(value: Any) -> Decimal:
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput("延期天数应为数字", details={"days": "格式错误"}) from None
    if not Decimal("0.5") <= days <= Decimal(30):
        raise InvalidInput("延期天数应在 0.5 到 30 个工作日之间", details={"days": "超出范围"})
    return days


@transaction.atomic
def event_request_extension(*, actor: Person, event: Event, days: Any, reason: str) -> ExtensionRequest:
    """延期申请: the clock keeps running until a lead approves."""
    assignment = authorize_holder(event, actor, "request_extension")
    if not reason.strip():
        raise InvalidInput("请填写延期理由", details={"reason": "必填"})
    require(
        not ExtensionRequest.objects.filter(assignment=assignment, status=ExtensionStatus.PENDING).exists(),
        "已有待审批的延期申请",
        code="extension_pending",
    )
    amount = _days(days)
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="request_extension",
        note=reason,
        unit_id=assignment.unit_id,
        now=now,
        data={"days": str(amount)},
    )
    request = ExtensionRequest.objects.create(
        event=event, assignment=assignment, requested_by=actor, requested_at=now, days=amount, reason=reason
    )
    triage = triage_unit_for(event, event.level)
    if triage is not None:
        notify_after_commit(
            person_ids=unit_staff_ids([triage.pk]),
            verb="extension",
            text=f"{assignment.unit}申请事件 {event.number} 延期 {days_text(amount)} 个工作日",
            event_id=event.pk,
        )
    return request


@transaction.atomic
def event_decide_extension(
    *, actor: Actor, event: Event, request_id: int, approve: bool, note: str = ""
) -> Event:
    """审批延期: approval moves the assignment's deadline (and the event's) by the approved working days."""
    authorize(event, actor, "decide_extension")
    request = ExtensionRequest.objects.select_related("assignment").filter(pk=request_id, event=event).first()
    if request is None:
        raise NotFound("延期申请不存在", code="no_extension_request")
    require(request.status == ExtensionStatus.PENDING, "该延期申请已审批", code="extension_decided")
    now = timezone.now()
    assignment = request.assignment
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {"request": request.pk, "approve": approve, "days": str(request.days)}
    if approve:
        new_deadline = extend(assignment.deadline, request.days)
        new_warn = extend(assignment.warn_at, request.days)
        Assignment.objects.filter(pk=assignment.pk).update(
            deadline=new_deadline, warn_at=new_warn, extended=True, overdue=False, warned=False
        )
        data |= {"old_deadline": assignment.deadline.isoformat(), "new_deadline": new_deadline.isoformat()}
        fields["extended"] = True
        if assignment.role == AssignmentRole.LEAD and event.deadline is not None:
            fields |= {"deadline": new_deadline, "warn_at": new_warn, "overdue": False, "warned": False}
            fields["due_at"] = close_due(new_deadline)
    commit_step(
        event,
        actor=actor,
        action="decide_extension",
        note=note,
        unit_id=assignment.unit_id,
        now=now,
        data=data,
        **fields,
    )
    ExtensionRequest.objects.filter(pk=request.pk).update(
        status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
        decided_by=actor,
        decided_at=now,
        decision_note=note,
    )
    notify_after_commit(
        person_ids=[request.requested_by_id],
        verb="extension_decided",
        text=f"事件 {event.number} 的延期申请{'已批准' if approve else '被驳回'}",
        event_id=event.pk,
    )
    return event


@transaction.atomic
def event_feed_back(
    *, actor: Person, event: Event, feedback: str, files: Sequence[UploadedFile] = ()
) -> Event:
    """反馈: the unit reports what it did, with photos; the event is FED_BACK once every unit has."""
    assignment = authorize_holder(event, actor, "feed_back", {AS.SIGNED, AS.HANDLING})
    if not feedback.strip():
        raise InvalidInput("请填写处置情况", details={"feedback": "必填"})
    now = timezone.now()
    move_assignments(
        Assignment.objects.filter(pk=assignment.pk), "feed_back", fed_back_at=now, feedback=feedback
    )
    to = _aggregate_status(event)
    fields: dict[str, Any] = {}
    if to == Status.FED_BACK:
        fields = {"fed_back_at": now, **stage_clock_fields(hours_clock(now, event.event_type.check_hours))}
        fields["holder_unit"] = triage_unit_for(event, event.level)
    commit_step(
        event,
        actor=actor,
        action="feed_back",
        to=to,
        note=feedback,
        unit_id=assignment.unit_id,
        now=now,
        **fields,
    )
    attachments_add(actor=actor, event=event, files=files, phase=AttachmentPhase.FEEDBACK)
    if to == Status.FED_BACK and event.holder_unit_id:
        notify_after_commit(
            person_ids=unit_staff_ids([event.holder_unit_id]),
            verb="fed_back",
            text=f"事件 {event.number} 已处置反馈，请安排核查",
            event_id=event.pk,
        )
    return event


@transaction.atomic
def event_self_handle(*, actor: Person, event: Event, note: str, files: Sequence[UploadedFile]) -> Event:
    """自行处置 (level 1): the grid worker fixed it on the spot; photos before and after are the proof."""
    authorize(event, actor, "self_handle")
    require(event.event_type.self_fixable, "该类事件不允许网格员自行处置，请上报指挥室")
    if not files:
        raise InvalidInput("自行处置须上传处置前后照片", details={"files": "至少一张照片"})
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="self_handle",
        to=Status.SELF_HANDLED,
        note=note,
        now=now,
        fed_back_at=now,
        result_fed_back_at=now,  # 双反馈: the grid worker's photos are the command room's record
        **reset_stage_clock(),
    )
    attachments_add(actor=actor, event=event, files=files, phase=AttachmentPhase.AFTER)
    return event
