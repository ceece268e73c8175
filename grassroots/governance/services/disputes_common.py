"""What every step of a dispute shares: authorise against the table, compare-and-set the dispute with its history
and audit rows, and the dispute's clocks (which one, started how, and their changes written into the step's history
row)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.core.errors import InvalidInput
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import ClockChange, clock_start, clock_stop
from grassroots.workflow.commit import Moved, commit_with_history
from grassroots.workflow.models import Clock

from ..models import Dispute, DisputeHistory
from ..permissions import dispute_actor_kinds
from ..rules import DISPUTE
from .dispute_limits import limit, source

WORKFLOW = DISPUTE.name
STALE = ("stale_dispute", "纠纷已被他人处理或已变化，请刷新后重试")


class Clocks:
    """The names of a dispute's clocks (one live at a time per name)."""

    MEDIATION = (
        "mediation"  # 一个月内调结: 30 日 from acceptance, extended once by the parties; stops at the end
    )
    CONFIRMATION = "confirmation"  # 30 日 from the agreement to apply jointly for 司法确认


# name → the setting of its limit (all natural days)
CLOCK_LIMITS: dict[str, str] = {
    Clocks.MEDIATION: "MEDIATION_DAYS",
    Clocks.CONFIRMATION: "CONFIRMATION_DAYS",
}


def now_of(now: dt.datetime | None) -> dt.datetime:
    # Whole seconds, as the clocks keep them: history, clock ledger and dispute fields then agree exactly.
    return (now or timezone.now()).replace(microsecond=0)


def authorize(dispute: Dispute, actor: Any, action: str) -> set[str]:
    kinds = dispute_actor_kinds(dispute, actor)
    DISPUTE.authorize(action, dispute.status, kinds, what="纠纷")
    return kinds


def commit(
    dispute: Dispute,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[Moved, DisputeHistory]:
    """Move the dispute (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    moved, row = commit_with_history(
        dispute,
        history_model=DisputeHistory,
        record_field="dispute",
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
    assert isinstance(row, DisputeHistory)
    return moved, row


def record_clocks(row: DisputeHistory, *changes: ClockChange | None) -> None:
    """Put the clocks' changes into the step's history row."""
    done = [c for c in changes if c is not None]
    if not done:
        return
    row.data = {**row.data, "clocks": [{"action": c.action, **c.data} for c in done]}
    row.save(update_fields=["data"])


def start_clock(dispute: Dispute, name: str, *, now: dt.datetime) -> ClockChange:
    """Start one of the dispute's clocks with its limit from the settings; natural days, the start day not
    counted."""
    setting = CLOCK_LIMITS[name]
    amount = limit(setting)
    unit = LimitUnit.NATURAL_DAYS
    return clock_start(
        workflow=WORKFLOW,
        object_id=dispute.pk,
        name=name,
        unit=unit,
        statutory=Decimal(amount),
        limit_source=f"{source(setting)}：{amount} {unit.label}",
        now=now,
    )


def live_clock(dispute: Dispute, name: str) -> Clock | None:
    return Clock.objects.filter(
        workflow=WORKFLOW, object_id=dispute.pk, name=name, state__in=[ClockState.RUNNING, ClockState.PAUSED]
    ).first()


def stop_clock(
    dispute: Dispute, name: str, *, result: str, actor: Any, now: dt.datetime
) -> ClockChange | None:
    """Stop the clock if it is live (a dispute refused before acceptance never started its month)."""
    clock = live_clock(dispute, name)
    if clock is None:
        return None
    return clock_stop(clock=clock, result=result, actor=actor, now=now)


def last_day(clock: Clock) -> dt.date | None:
    """The last day of a clock's period, in China's calendar (a due moment at 00:00 ends the day before)."""
    if clock.due_at is None:
        return None
    return (clock.due_at - dt.timedelta(seconds=1)).astimezone(SHANGHAI).date()


def require_text(value: str, *, code: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, code=code)
    return value


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()
