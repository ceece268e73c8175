"""What follows the end of mediation: judicial confirmation of a written agreement (司法确认, applied for jointly
within 30 日 of the agreement, 第三十三条) and the court's ruling, follow-up visits on performance (第三十一条),
and closing (结案), which for an agreement needs a visit that found it performed."""

import datetime as dt
from typing import Any

from django.db import transaction

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.clocks import clock_stop

from ..choices import ConfirmationResult, DisputeOutcome, DisputeStatus, Performance
from ..models import Dispute, DisputeFollowUp
from .disputes_common import (
    Clocks,
    authorize,
    commit,
    last_day,
    live_clock,
    local_day,
    now_of,
    record_clocks,
    require_text,
    stop_clock,
)


def _day_end(day: dt.date) -> dt.datetime:
    """The last second of `day` in China's time."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI) - dt.timedelta(
        seconds=1
    )


def guard_day(day: dt.date, *, not_before: dt.date | None, today: dt.date, early: tuple[str, str]) -> None:
    if day > today:
        raise InvalidInput("日期不能晚于今天", code="date_in_future")
    if not_before is not None and day < not_before:
        code, message = early
        raise InvalidInput(message, code=code)


@transaction.atomic
def dispute_apply_confirmation(
    *, actor: Any, dispute: Dispute, applied_on: dt.date, court: str, now: dt.datetime | None = None
) -> Dispute:
    """申请司法确认: the parties applied jointly to a court, within 30 日 of a written agreement taking effect;
    the clock stops at the end of the day of the application."""
    now = now_of(now)
    authorize(dispute, actor, "apply_confirmation")
    if dispute.outcome != DisputeOutcome.WRITTEN:
        raise InvalidInput("司法确认须以书面调解协议申请", code="confirmation_needs_written")
    if dispute.confirmation_applied_on is not None:
        raise InvalidInput("已申请过司法确认", code="confirmation_already_applied")
    court = require_text(court, code="court_required", message="请填写受理申请的人民法院")
    assert dispute.concluded_at is not None
    guard_day(
        applied_on,
        not_before=local_day(dispute.concluded_at),
        today=local_day(now),
        early=("applied_before_agreement", "申请日期不能早于协议生效日期"),
    )
    clock = live_clock(dispute, Clocks.CONFIRMATION)
    if clock is None:
        raise Conflict(
            "纠纷没有正在计时的司法确认期限", code="clock_missing", details={"clock": "confirmation"}
        )
    due = last_day(clock)
    if due is not None and applied_on > due:
        raise InvalidInput(
            f"申请司法确认须在协议生效之日起三十日内（截至 {due:%Y-%m-%d}）",
            code="confirmation_out_of_time",
            details={"last_day": due.isoformat()},
        )
    _, row = commit(
        dispute,
        actor=actor,
        action="apply_confirmation",
        to=None,
        now=now,
        data={"applied_on": applied_on.isoformat(), "court": court},
        confirmation_applied_on=applied_on,
        confirmation_court=court,
    )
    stopped = clock_stop(clock=clock, result="applied", actor=actor, now=min(now, _day_end(applied_on)))
    record_clocks(row, stopped)
    return dispute


@transaction.atomic
def dispute_record_confirmation(
    *,
    actor: Any,
    dispute: Dispute,
    result: str,
    decided_on: dt.date,
    number: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """司法确认结果: the court's ruling; valid → 已司法确认, a rejection is recorded and the agreement stands as an
    agreement (the parties may change it by mediation again or sue)."""
    now = now_of(now)
    authorize(dispute, actor, "record_confirmation")
    if dispute.confirmation_applied_on is None:
        raise InvalidInput("尚未申请司法确认", code="confirmation_not_applied")
    if dispute.confirmation_result:
        raise InvalidInput("已登记司法确认结果", code="confirmation_already_recorded")
    if result not in ConfirmationResult.values:
        raise InvalidInput("司法确认结果无效", code="confirmation_result_invalid")
    guard_day(
        decided_on,
        not_before=dispute.confirmation_applied_on,
        today=local_day(now),
        early=("decided_before_application", "裁定日期不能早于申请日期"),
    )
    to = DisputeStatus.CONFIRMED if result == ConfirmationResult.VALID else None
    commit(
        dispute,
        actor=actor,
        action="record_confirmation",
        to=to,
        now=now,
        data={"result": result, "decided_on": decided_on.isoformat(), "number": number.strip()},
        confirmation_result=result,
        confirmation_decided_on=decided_on,
        confirmation_number=number.strip(),
    )
    return dispute


@transaction.atomic
def dispute_follow_up(
    *,
    actor: Any,
    dispute: Dispute,
    visited_on: dt.date,
    performance: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> DisputeFollowUp:
    """履行回访: a visit that found the agreement performed, partly performed or not performed."""
    now = now_of(now)
    authorize(dispute, actor, "follow_up")
    if performance not in Performance.values:
        raise InvalidInput("履行情况无效", code="performance_invalid")
    assert dispute.concluded_at is not None
    guard_day(
        visited_on,
        not_before=local_day(dispute.concluded_at),
        today=local_day(now),
        early=("visit_before_agreement", "回访日期不能早于达成协议日期"),
    )
    _, row = commit(
        dispute,
        actor=actor,
        action="follow_up",
        to=None,
        now=now,
        note=note,
        data={"visited_on": visited_on.isoformat(), "performance": performance},
    )
    visit = DisputeFollowUp.objects.create(
        dispute=dispute,
        visited_on=visited_on,
        visitor=actor,
        performance=performance,
        note=note.strip(),
        recorded_at=now,
    )
    row.data = {**row.data, "follow_up": visit.pk}
    row.save(update_fields=["data"])
    return visit


@transaction.atomic
def dispute_close(*, actor: Any, dispute: Dispute, note: str = "", now: dt.datetime | None = None) -> Dispute:
    """结案: an agreement once the latest visit found it performed; a refusal or a failure at any time. A 司法确认
    window not used stops (the parties did not apply)."""
    now = now_of(now)
    authorize(dispute, actor, "close")
    if dispute.status in {DisputeStatus.AGREED, DisputeStatus.CONFIRMED}:
        latest = DisputeFollowUp.objects.filter(dispute=dispute).order_by("-visited_on", "-pk").first()
        if latest is None or latest.performance != Performance.PERFORMED:
            raise InvalidInput("协议履行情况经回访确认已履行后方可结案", code="performance_not_verified")
    _, row = commit(
        dispute, actor=actor, action="close", to=DisputeStatus.CLOSED, now=now, note=note, closed_at=now
    )
    record_clocks(row, stop_clock(dispute, Clocks.CONFIRMATION, result="not_applied", actor=actor, now=now))
    return dispute
