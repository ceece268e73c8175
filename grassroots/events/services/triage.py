"""调度分流: verify a report on site, register or void it, merge duplicates, dispatch to units."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.notifications.services import notify_after_commit
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.actors import Actor
from grassroots.people.models import Person

from ..choices import SOURCES_NEEDING_VERIFICATION, AssignmentRole, Level, Mode, Status
from ..clock import close_due, hours_clock, limit_for, start_clock
from ..models import Assignment, Event
from ..routes import check_dispatch_route
from ..routing import dispatch_level, task_staff_ids
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
from .routing import open_supervision, require_leader, supervised_ratio


@transaction.atomic
def event_verify(
    *, actor: Actor, event: Event, verifier: Person | None = None, valid: bool | None = None, note: str = ""
) -> Event:
    """Send a grid worker to verify a report (from REPORTED), or record what they found (from VERIFYING)."""
    authorize(event, actor, "verify")
    if event.status == Status.REPORTED:
        if verifier is None:
            raise InvalidInput("请指定核实人员", details={"verifier": "必填"})
        require(verifier.is_active and verifier.grid_id is not None, "核实人员须为在岗网格员")
        require_not_reporter(event, verifier, field="verifier", what="核实")
        clock = hours_clock(timezone.now(), event.event_type.verify_hours)
        commit_step(
            event,
            actor=actor,
            action="verify",
            to=Status.VERIFYING,
            note=note,
            verifier=verifier,
            data={"verifier": verifier.pk},
            **stage_clock_fields(clock),
        )
        notify_after_commit(
            person_ids=[verifier.pk],
            verb="verify",
            text=f"请现场核实事件 {event.number}：{event.title}",
            event_id=event.pk,
        )
        return event
    if valid is None:
        raise InvalidInput("请填写核实结果", details={"valid": "必填"})
    to = Status.VERIFIED if valid else Status.INVALID
    fields = triage_clock_fields(timezone.now()) if valid else reset_stage_clock()
    commit_step(event, actor=actor, action="verify", to=to, note=note, data={"valid": valid}, **fields)
    return event


@transaction.atomic
def event_register(*, actor: Actor, event: Event, note: str = "", mode: str = "") -> Event:
    """立案. A report from a source that must be verified is registered only once verified."""
    authorize(event, actor, "register")
    require(
        event.status == Status.VERIFIED or event.source not in SOURCES_NEEDING_VERIFICATION,
        "该来源的事件须先现场核实，再立案",
    )
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="register",
        to=Status.REGISTERED,
        note=note,
        registered_at=now,
        mode=mode or event.mode,
        **triage_clock_fields(now),
    )
    return event


@transaction.atomic
def event_void(*, actor: Actor, event: Event, reason: str) -> Event:
    """不予立案, with the reason."""
    authorize(event, actor, "void")
    if not reason.strip():
        raise InvalidInput("请填写不予立案的理由", details={"reason": "必填"})
    commit_step(event, actor=actor, action="void", to=Status.VOID, note=reason, **reset_stage_clock())
    return event


@transaction.atomic
def event_merge(*, actor: Actor, event: Event, into: Event, note: str = "") -> Event:
    """Merge a duplicate report into an open event; its reporter keeps getting feedback through the master."""
    authorize(event, actor, "merge")
    require(into.pk != event.pk, "不能把事件合并到自身")
    require(
        into.merged_into_id is None and into.status not in {Status.MERGED, Status.VOID, Status.INVALID},
        "目标事件不可接收合并",
    )
    require(into.status not in {Status.CLOSED, Status.ARCHIVED}, "目标事件已结案，请重启后再合并或单独立案")
    commit_step(
        event,
        actor=actor,
        action="merge",
        to=Status.MERGED,
        note=note,
        merged_into=into,
        data={"into": into.pk, "into_number": into.number},
        **reset_stage_clock(),
    )
    return event


def _units(unit_ids: Sequence[int]) -> list[Unit]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids, is_active=True)}
    missing = [pk for pk in unit_ids if pk not in units]
    if missing:
        raise InvalidInput("派遣单位不存在或已停用", details={"units": missing})
    return [units[pk] for pk in unit_ids]


@transaction.atomic
def event_dispatch(
    *,
    actor: Actor,
    event: Event,
    lead_unit_id: int,
    assist_unit_ids: Sequence[int] = (),
    mode: str = Mode.ASSIGNED,
    note: str = "",
    route: str | None = None,
    leader: Person | None = None,
) -> Event:
    """派遣: to a village (L2) or a platform unit (L3), joint with assisting units; to the centre means L4.

    The units make the route (seed 003: one platform's office, several units of one platform, several
    platforms); a route named, or decided by the leaders, must match them. 直办 is not dispatched; 督办 needs
    its leader, and runs on a stricter clock with a supervision order from the start.
    """
    authorize(event, actor, "dispatch")
    if mode == Mode.DIRECT:
        raise Conflict(
            "直办事件由指挥室直接答复办结，不派遣；需要单位处置的请选择“交办”或“督办”",
            code="mode_direct",
        )
    if lead_unit_id in assist_unit_ids or len(set(assist_unit_ids)) != len(assist_unit_ids):
        raise InvalidInput("主办单位和协办单位不能重复", details={"assist_unit_ids": "重复"})
    if mode not in Mode.values:
        raise InvalidInput("办理方式无效", details={"mode": f"应为 {', '.join(Mode.values)}"})
    lead, *assists = _units([lead_unit_id, *assist_unit_ids])
    if lead.kind in {UnitKind.COMMAND_CENTRE, UnitKind.COMMAND_ROOM}:
        raise InvalidInput(
            "指挥室/指挥中心不是处置单位；超出本级权限请使用“升级”", details={"lead_unit_id": lead.name}
        )
    made = check_dispatch_route(event, lead, assists, route)
    extra: dict[str, Any] = {"route": made} if made else {}
    if mode == Mode.SUPERVISED:
        extra["leader"] = event.leader = require_leader(event, leader)
        extra["leader_flagged"] = True
    return dispatch_round(
        event, actor=actor, lead=lead, assists=assists, mode=mode, note=note, action="dispatch", extra=extra
    )


def dispatch_round(
    event: Event,
    *,
    actor: Actor,
    lead: Unit,
    assists: Sequence[Unit],
    mode: str,
    note: str,
    action: str,
    round_no: int | None = None,
    extra: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Create the assignments of one round (first dispatch or rework) and start their clocks."""
    now = now or timezone.now()
    level = dispatch_level(lead, event)
    amount, unit = limit_for(event.event_type, level)
    if mode == Mode.SUPERVISED:
        amount = amount * supervised_ratio()  # 督办's stricter limit
    clock = start_clock(now, amount, unit)
    round_no = round_no or (event.rework_count + 1)
    fields = {
        "level": level,
        "mode": mode,
        "holder_unit": lead,
        "dispatched_at": now,
        "joint": bool(assists) or event.joint,
        "due_at": close_due(clock.deadline),
        **stage_clock_fields(clock),
        **(extra or {}),
    }
    event.level = level  # the history row records the level the event moves to
    commit_step(
        event,
        actor=actor,
        action=action,
        to=Status.DISPATCHED,
        note=note,
        now=now,
        unit_id=lead.pk,
        data={
            "lead": lead.pk,
            "assists": [u.pk for u in assists],
            "mode": mode,
            "round": round_no,
            "limit": event.event_type.limit_label(amount, unit),  # the type version and limit the clock used
            **({"route": event.route} if event.route else {}),
        },
        **fields,
    )
    if mode == Mode.SUPERVISED:
        open_supervision(event, actor=actor, unit_id=lead.pk, clock=clock)
    # A dispatch after an escalation or the lead's return reuses the round number: feedback left from the
    # superseded dispatch must not count for this one (the check would mark it done, a rework resend it).
    move_assignments(Assignment.objects.filter(event=event, round=round_no), "supersede")
    Assignment.objects.bulk_create(
        [
            Assignment(
                event=event,
                unit=unit,
                role=role,
                level=level,
                mode=mode,
                round=round_no,
                dispatched_by=actor,
                dispatched_at=now,
                warn_at=clock.warn_at,
                deadline=clock.deadline,
            )
            for unit, role in [(lead, AssignmentRole.LEAD), *[(u, AssignmentRole.ASSIST) for u in assists]]
        ]
    )
    notify_after_commit(
        person_ids=task_staff_ids([lead.pk, *[u.pk for u in assists]]),
        verb="dispatch",
        text=f"新派遣任务 {event.number}：{event.title}（期限 {timezone.localtime(clock.deadline):%m-%d %H:%M}）",
        event_id=event.pk,
    )
    return event


__all__ = [
    "Level",
    "dispatch_round",
    "event_dispatch",
    "event_merge",
    "event_register",
    "event_verify",
    "event_void",
]
