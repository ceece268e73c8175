"""What every step of a petition shares: its limits (each a setting `GOVERNANCE_PETITION_<name>` with the
regulation's default), authorising against the table, compare-and-setting the petition with its history and audit
rows, and its clocks.

信访工作条例 writes 15 日, 60 日 and 30 日 as plain days and separately 5 个工作日 (reference/domain-rules.md): the
plain days are natural days (the start day not counted, a period ending on a rest day ends at 24:00 of the next
working day); the five are working days on the calendar (`grassroots/workcal`), counted from the next day."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings

from grassroots.core.errors import Conflict
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import ClockChange, clock_start, clock_stop
from grassroots.workflow.commit import Moved, commit_with_history
from grassroots.workflow.models import Clock

from ..models import Petition, PetitionHistory
from ..petition_permissions import petition_actor_kinds
from ..petition_rules import PETITION
from .disputes_common import last_day, local_day, now_of, require_text

WORKFLOW = PETITION.name
STALE = ("stale_petition", "信访件已被他人处理或已变化，请刷新后重试")

# name: (default, unit, source)
LIMITS: dict[str, tuple[int, LimitUnit, str]] = {
    "ACCEPTANCE_DAYS": (
        15,
        LimitUnit.NATURAL_DAYS,
        "信访工作条例 第二十三条：收到之日起十五日内告知是否受理",
    ),
    "OBJECTION_WORKING_DAYS": (
        5,
        LimitUnit.WORKING_DAYS,
        "信访工作条例 第二十三条：不属本机关职权范围的，五个工作日内提出异议",
    ),
    "HANDLING_DAYS": (60, LimitUnit.NATURAL_DAYS, "信访工作条例 第三十四条：受理之日起六十日内办结"),
    "EXTENSION_DAYS": (30, LimitUnit.NATURAL_DAYS, "信访工作条例 第三十四条：可以适当延长，不超过三十日"),
    "REVIEW_REQUEST_DAYS": (
        30,
        LimitUnit.NATURAL_DAYS,
        "信访工作条例 第三十五条：收到书面答复之日起三十日内请求复查",
    ),
    "REVIEW_DAYS": (
        30,
        LimitUnit.NATURAL_DAYS,
        "信访工作条例 第三十五条：收到复查请求之日起三十日内提出复查意见",
    ),
    "RECHECK_REQUEST_DAYS": (
        30,
        LimitUnit.NATURAL_DAYS,
        "信访工作条例 第三十六条：收到复查意见之日起三十日内请求复核",
    ),
    "RECHECK_DAYS": (
        30,
        LimitUnit.NATURAL_DAYS,
        "信访工作条例 第三十六条：收到复核请求之日起三十日内提出复核意见",
    ),
}


class Clocks:
    """The names of a petition's clocks (one live at a time per name)."""

    ACCEPTANCE = "acceptance"  # 15 日 from receipt to decide: accept, refuse, route on, join
    OBJECTION = "objection"  # 5 工作日 to return a transferred matter outside the remit
    HANDLING = "handling"  # 60 日 from acceptance to the answer, +30 once
    REVIEW_REQUEST = "review_request"  # the petitioner's 30 日 to ask for 复查
    REVIEW = "review"  # 30 日 to answer the 复查
    RECHECK_REQUEST = "recheck_request"  # the petitioner's 30 日 to ask for 复核
    RECHECK = "recheck"  # 30 日 to answer the 复核


CLOCK_LIMITS = {
    Clocks.ACCEPTANCE: "ACCEPTANCE_DAYS",
    Clocks.OBJECTION: "OBJECTION_WORKING_DAYS",
    Clocks.HANDLING: "HANDLING_DAYS",
    Clocks.REVIEW_REQUEST: "REVIEW_REQUEST_DAYS",
    Clocks.REVIEW: "REVIEW_DAYS",
    Clocks.RECHECK_REQUEST: "RECHECK_REQUEST_DAYS",
    Clocks.RECHECK: "RECHECK_DAYS",
}
CLOCK_LABELS = {
    Clocks.ACCEPTANCE: "受理告知期限",
    Clocks.OBJECTION: "异议期限",
    Clocks.HANDLING: "办理期限",
    Clocks.REVIEW_REQUEST: "申请复查期限",
    Clocks.REVIEW: "复查期限",
    Clocks.RECHECK_REQUEST: "申请复核期限",
    Clocks.RECHECK: "复核期限",
}


def limit(name: str) -> int:
    """A limit's value: the setting `GOVERNANCE_PETITION_<name>` if there is one, else the regulation's."""
    return int(getattr(settings, f"GOVERNANCE_PETITION_{name}", LIMITS[name][0]))


def source(name: str) -> str:
    return LIMITS[name][2].split("：")[0]


def authorize(petition: Petition, actor: Any, action: str) -> set[str]:
    kinds = petition_actor_kinds(petition, actor)
    PETITION.authorize(action, petition.status, kinds, what="信访件")
    return kinds


def commit(
    petition: Petition,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[Moved, PetitionHistory]:
    """Move the petition (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    moved, row = commit_with_history(
        petition,
        history_model=PetitionHistory,
        record_field="petition",
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
    assert isinstance(row, PetitionHistory)
    return moved, row


def start_clock(petition: Petition, name: str, *, now: dt.datetime) -> ClockChange:
    """Start one of the petition's clocks with its limit from the settings; the start day is not counted."""
    setting = CLOCK_LIMITS[name]
    amount, unit = limit(setting), LIMITS[setting][1]
    return clock_start(
        workflow=WORKFLOW,
        object_id=petition.pk,
        name=name,
        unit=unit,
        statutory=Decimal(amount),
        limit_source=f"{source(setting)}：{amount} {unit.label}",
        from_next_day=True,
        now=now,
    )


def live_clock(petition: Petition, name: str) -> Clock | None:
    return Clock.objects.filter(
        workflow=WORKFLOW, object_id=petition.pk, name=name, state__in=[ClockState.RUNNING, ClockState.PAUSED]
    ).first()


def stop_clock(
    petition: Petition, name: str, *, result: str, actor: Any, now: dt.datetime
) -> ClockChange | None:
    """Stop the clock if it is live (a petition not transferred in has no objection clock)."""
    clock = live_clock(petition, name)
    if clock is None:
        return None
    return clock_stop(clock=clock, result=result, actor=actor, now=now)


def record_clocks(row: PetitionHistory, *changes: ClockChange | None) -> None:
    """Put the clocks' changes into the step's history row."""
    done = [c for c in changes if c is not None]
    if done:
        row.data = {**row.data, "clocks": [{"action": c.action, **c.data} for c in done]}
        row.save(update_fields=["data"])


def need_clock(petition: Petition, name: str) -> Clock:
    clock = live_clock(petition, name)
    if clock is None:
        raise Conflict(f"{CLOCK_LABELS[name]}未在计时", code="clock_missing", details={"clock": name})
    return clock


def window_last_day(petition: Petition, name: str) -> dt.date | None:
    """The last day of a live request window (复查 / 复核), or None when it is not running."""
    clock = live_clock(petition, name)
    return None if clock is None else last_day(clock)


__all__ = [
    "Clocks",
    "authorize",
    "commit",
    "last_day",
    "limit",
    "live_clock",
    "local_day",
    "now_of",
    "record_clocks",
    "require_text",
    "start_clock",
]
