"""What every step of a case shares: authorise against the table, compare-and-set the case with its history and
audit rows, and the case's clocks (which one, started how, and their changes written into the step's history row).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.core.errors import Conflict
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import ClockChange, clock_start, clock_stop
from grassroots.workflow.commit import Moved, commit_with_history
from grassroots.workflow.models import Clock

from ..models import CaseHistory, EnforcementCase
from ..permissions import case_actor_kinds
from ..rules import CASE
from .limits import DEFAULTS, limit

WORKFLOW = CASE.name
STALE = ("stale_case", "案件已被他人处理或已变化，请刷新后重试")


class Clocks:
    """The names of a case's clocks (one live at a time per name)."""

    LEAD = "lead"  # 线索核查: 15 工作日 from the lead, +15 with approval; stops at the 立案 decision
    CASE = "case"  # 办案期限: 90 日 from 立案, +30 with approval; 听证 paused; stops at the decision
    HEARING_REQUEST = "hearing_request"  # 5 工作日 from 告知 for the party to ask for a hearing
    SERVICE = "service"  # 7 工作日 from the decision to serve it
    PAYMENT = "payment"  # 15 日 from service to pay the fine


# name → (the setting of its limit, its unit)
CLOCK_LIMITS: dict[str, tuple[str, LimitUnit]] = {
    Clocks.LEAD: ("LEAD_WORKING_DAYS", LimitUnit.WORKING_DAYS),
    Clocks.CASE: ("CASE_DAYS", LimitUnit.NATURAL_DAYS),
    Clocks.HEARING_REQUEST: ("HEARING_REQUEST_WORKING_DAYS", LimitUnit.WORKING_DAYS),
    Clocks.SERVICE: ("SERVICE_WORKING_DAYS", LimitUnit.WORKING_DAYS),
    Clocks.PAYMENT: ("PAYMENT_DAYS", LimitUnit.NATURAL_DAYS),
}


def now_of(now: dt.datetime | None) -> dt.datetime:
    # Whole seconds, as the clocks keep them: history, clock ledger and case fields then agree exactly.
    return (now or timezone.now()).replace(microsecond=0)


def authorize(case: EnforcementCase, actor: Any, action: str) -> set[str]:
    kinds = case_actor_kinds(case, actor)
    CASE.authorize(action, case.status, kinds, what="案件")
    return kinds


def commit(
    case: EnforcementCase,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[Moved, CaseHistory]:
    """Move the case (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    moved, row = commit_with_history(
        case,
        history_model=CaseHistory,
        record_field="case",
        workflow=WORKFLOW,
        stale=STALE,
        actor=actor,
        action=action,
        to=to,
        now=now,
        note=note,
        data=data,
        **fields,
    )
    assert isinstance(row, CaseHistory)
    return moved, row


def record_clocks(row: CaseHistory, *changes: ClockChange) -> None:
    """Put the clocks' changes into the step's history row (the engine's record of every start, pause, resume,
    extension and stop)."""
    if not changes:
        return
    row.data = {**row.data, "clocks": [{"action": c.action, **c.data} for c in changes]}
    row.save(update_fields=["data"])


def start_clock(case: EnforcementCase, name: str, *, now: dt.datetime) -> ClockChange:
    """Start one of the case's clocks with its limit from the settings (the law's default); working days count
    from the next day, as the law reads them."""
    setting, unit = CLOCK_LIMITS[name]
    amount = limit(setting)
    source = DEFAULTS[setting][1].split("：")[0]
    return clock_start(
        workflow=WORKFLOW,
        object_id=case.pk,
        name=name,
        unit=unit,
        statutory=Decimal(amount),
        limit_source=f"{source}：{amount} {unit.label}",
        from_next_day=True,
        now=now,
    )


def live_clock(case: EnforcementCase, name: str) -> Clock | None:
    return Clock.objects.filter(
        workflow=WORKFLOW, object_id=case.pk, name=name, state__in=[ClockState.RUNNING, ClockState.PAUSED]
    ).first()


def need_clock(case: EnforcementCase, name: str) -> Clock:
    clock = live_clock(case, name)
    if clock is None:
        raise Conflict("案件没有正在计时的该项时限", code="clock_missing", details={"clock": name})
    return clock


def stop_clock(
    case: EnforcementCase, name: str, *, result: str, actor: Any, now: dt.datetime
) -> ClockChange | None:
    """Stop the clock if it is live (a step may end a stage whose clock was never started, e.g. no hearing asked)."""
    clock = live_clock(case, name)
    if clock is None:
        return None
    return clock_stop(clock=clock, result=result, actor=actor, now=now)


def due_day(change: ClockChange) -> dt.date | None:
    """The last day of a clock's period, in China's calendar (a due moment at 00:00 ends the day before)."""
    due = change.clock.due_at
    if due is None:
        return None
    return (due - dt.timedelta(seconds=1)).astimezone(SHANGHAI).date()
