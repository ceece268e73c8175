"""任务核查, 评价考核, 结单归档: check the handling on site, call the reporter back, close, archive, reopen."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.notifications.services import notify_after_commit, outbox_add, unit_staff_ids
from grassroots.org.models import Unit
from grassroots.people.actors import Actor
from grassroots.people.models import Person

from .. import rules
from ..choices import AssignmentRole, AssignmentStatus, AttachmentPhase, Level, Satisfaction, Status
from ..clock import CALLBACK_HOURS, hours_clock
from ..models import Assignment, Event
from ..routing import triage_unit_for
from .core import (
    authorize,
    commit_step,
    move_assignments,
    require,
    require_not_reporter,
    reset_stage_clock,
    stage_clock_fields,
    triage_clock_fields,
)
from .escalation import escalate_up
from .intake import attachments_add
from .routing import require_feedback
from .triage import dispatch_round

AS = AssignmentStatus


@transaction.atomic
def event_check(
    *,
    actor: Actor,
    event: Event,
    checker: Person | None = None,
    passed: bool | None = None,
    note: str = "",
    files: Sequence[UploadedFile] = (),
) -> Event:
    """Send a checker (FED_BACK → CHECKING), or record the check: pass → CHECKED, fail → rework or escalation."""
    kinds = authorize(event, actor, "check")
    now = timezone.now()
    if passed is not None and rules.A.COMMAND not in kinds:
        # On site, whoever reported the problem does not judge its handling; the command room may (by video).
        require_not_reporter(event, actor, field="passed", what="核查")
    if passed is None:
        require(event.status == Status.FED_BACK, "请填写核查结果（通过或不通过）")
        if rules.A.COMMAND not in kinds:
            # The table's row: sending a checker is the command room's; a grid worker only records a result.
            raise Forbidden("只有指挥室可以派核查人员", code="not_permitted", details={"action": "check"})
        if checker is None:
            raise InvalidInput("请指定核查人员，或直接填写核查结果", details={"checker": "必填"})
        require_not_reporter(event, checker, field="checker", what="核查")
        commit_step(
            event,
            actor=actor,
            action="check",
            to=Status.CHECKING,
            note=note,
            verifier=checker,
            now=now,
            data={"checker": checker.pk},
            **stage_clock_fields(hours_clock(now, event.event_type.check_hours)),
        )
        notify_after_commit(
            person_ids=[checker.pk],
            verb="check",
            text=f"请现场核查事件 {event.number} 的处置结果",
            event_id=event.pk,
        )
        return event
    round_no = event.rework_count + 1
    this_round = list(
        Assignment.objects.filter(event=event, round=round_no, status=AS.FED_BACK).select_related("unit")
    )
    if passed:
        move_assignments(Assignment.objects.filter(pk__in=[a.pk for a in this_round]), "complete")
        commit_step(
            event,
            actor=actor,
            action="check",
            to=Status.CHECKED,
            note=note,
            now=now,
            data={"passed": True},
            result_fed_back_at=now,  # 双反馈: the checked result is the command room's
            **stage_clock_fields(hours_clock(now, CALLBACK_HOURS)),
        )
        attachments_add(actor=actor, event=event, files=files, phase=AttachmentPhase.CHECK)
        return event
    if not note.strip():
        raise InvalidInput("核查不通过须说明原因", details={"note": "必填"})
    attachments_add(actor=actor, event=event, files=files, phase=AttachmentPhase.CHECK)
    reworks = event.rework_count + 1
    limit = event.event_type.escalate_after_reworks
    if limit and reworks >= limit and event.level < Level.DISTRICT:
        # The second failed check: the event goes up a level instead of back to the same units (the
        # district has no level above it: there it is reworked again).
        event.rework_count = reworks
        escalate_up(
            event,
            actor=actor,
            reason=f"第 {reworks} 次返工：{note}",
            action="check",
            extra={"rework_count": reworks},
        )
        return event
    lead = next((a.unit for a in this_round if a.role == AssignmentRole.LEAD), None)
    if lead is None:
        raise Conflict("找不到本轮主办单位，无法返工", code="invalid_transition")
    assists = [a.unit for a in this_round if a.role == AssignmentRole.ASSIST]
    event.rework_count = reworks
    dispatch_round(
        event,
        actor=actor,
        lead=lead,
        assists=assists,
        mode=event.mode,
        note=note,
        action="check",
        round_no=reworks + 1,
        extra={"rework_count": reworks},
    )
    return event


@transaction.atomic
def event_callback(
    *, actor: Actor, event: Event, satisfaction: int | None, reached: bool = True, note: str = ""
) -> Event:
    """回访: the reporter rates the handling on five grades (or could not be reached)."""
    authorize(event, actor, "callback")
    if reached and satisfaction not in Satisfaction.values:
        raise InvalidInput("请选择满意度（1–5）", details={"satisfaction": "取值 1–5"})
    commit_step(
        event,
        actor=actor,
        action="callback",
        to=Status.EVALUATED,
        note=note,
        satisfaction=satisfaction if reached else None,
        reporter_informed_at=timezone.now() if reached else event.reporter_informed_at,
        data={"reached": reached, "satisfaction": satisfaction},
        **reset_stage_clock(),
    )
    return event


def _reporters(event: Event) -> tuple[list[int], list[str]]:
    """Everyone who reported this problem: this event's reporter and those of the events merged into it."""
    group = [event, *Event.objects.filter(merged_into=event)]
    accounts = [e.reporter_id for e in group if e.reporter_id]
    emails = [e.reporter_email for e in group if e.reporter_email and not e.anonymous]
    return accounts, emails


@transaction.atomic
def event_close(*, actor: Actor, event: Event, note: str = "") -> Event:
    """结案, once 双反馈 is done: the result reached the command room, and a citizen with a contact was told
    (called back, or the telling recorded) unless they declined; staff reporters get it in their inbox now."""
    authorize(event, actor, "close")
    require_feedback(event)
    now = timezone.now()
    commit_step(
        event, actor=actor, action="close", to=Status.CLOSED, note=note, closed_at=now, **reset_stage_clock()
    )
    # 双反馈: the result goes back to the command room and to every reporter.
    accounts, emails = _reporters(event)
    text = f"您反映的问题（{event.number}）已办结：{note or event.title}"
    notify_after_commit(person_ids=accounts, verb="closed", text=text, event_id=event.pk, email=False)
    transaction.on_commit(lambda: outbox_add(to=emails, subject=f"事件 {event.number} 已办结", body=text))
    command_room = triage_unit_for(event, min(event.level, 3))
    if command_room is not None and command_room.pk != getattr(actor, "unit_id", None):
        notify_after_commit(
            person_ids=unit_staff_ids([command_room.pk]),
            verb="closed",
            text=text,
            event_id=event.pk,
            email=False,
        )
    return event


@transaction.atomic
def event_archive(*, actor: Actor, event: Event, note: str = "") -> Event:
    authorize(event, actor, "archive")
    commit_step(
        event, actor=actor, action="archive", to=Status.ARCHIVED, note=note, archived_at=timezone.now()
    )
    return event


@transaction.atomic
def event_reopen(*, actor: Actor, event: Event, reason: str) -> Event:
    """重启: a closed event goes back to triage at its level; counted against the closing."""
    authorize(event, actor, "reopen")
    if not reason.strip():
        raise InvalidInput("请填写重启原因", details={"reason": "必填"})
    now = timezone.now()
    holder: Unit | None = triage_unit_for(event, event.level)
    commit_step(
        event,
        actor=actor,
        action="reopen",
        to=Status.REGISTERED,
        note=reason,
        now=now,
        closed_at=None,
        reopen_count=event.reopen_count + 1,
        holder_unit=holder,
        satisfaction=None,
        result_fed_back_at=None,  # a new round of handling: its result is fed back again
        reporter_informed_at=None,
        **triage_clock_fields(now),
    )
    return event
