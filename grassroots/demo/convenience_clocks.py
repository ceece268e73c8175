"""Clocks for bulk-built demo records: the arithmetic of `workflow.clocks` (start, pause, resume, stop) on unsaved
rows, so that thousands of applications get the clocks the services would have left, without a query each.

Each method returns the `data` the matching service puts in the step's history row. `settle` sets the flags the
timer worker would have set by `now` (warned, overdue), so that it finds nothing left to do for the past.
"""

import datetime as dt
from typing import Any

from grassroots.workcal.calendar import WorkCalendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clock_counting import derived_times, measure, next_midnight
from grassroots.workflow.models import Clock, ClockPause


class SimClock:
    """One clock of one record, kept in memory until it is written with `bulk_create`."""

    def __init__(
        self,
        calendar: WorkCalendar,
        *,
        workflow: str,
        name: str,
        statutory_days: float,
        promised_days: float | None,
        limit_source: str,
        at: dt.datetime,
        from_next_day: bool,
    ) -> None:
        self.calendar = calendar
        unit = LimitUnit.WORKING_DAYS
        day = calendar.unit_seconds(unit)
        statutory = round(statutory_days * day)
        promised = None if promised_days is None else round(promised_days * day)
        budget = promised or statutory
        since = next_midnight(at) if from_next_day else at
        warn_at, due_at = derived_times(calendar, unit=unit, since=since, consumed=0, budget=budget)
        self.clock = Clock(
            workflow=workflow,
            object_id=0,
            name=name,
            unit=unit,
            statutory_seconds=statutory,
            promised_seconds=promised,
            budget_seconds=budget,
            running_since=since,
            state=ClockState.RUNNING,
            warn_at=warn_at,
            due_at=due_at,
            limit_source=limit_source,
            started_at=at,
        )
        self.pauses: list[ClockPause] = []
        self.start_data: dict[str, Any] = {
            "clock": name,
            "unit": unit,
            "statutory_seconds": statutory,
            "promised_seconds": promised,
            "budget_seconds": budget,
            "limit_source": limit_source,
            "counts_from": since.isoformat(),
            "due_at": due_at.isoformat(),
        }

    @property
    def state(self) -> str:
        return self.clock.state

    def consumed(self, at: dt.datetime) -> int:
        c = self.clock
        if c.state != ClockState.RUNNING or c.running_since is None:
            return c.consumed_seconds
        return c.consumed_seconds + measure(self.calendar, c.unit, c.running_since, at)

    def is_late(self, at: dt.datetime) -> bool:
        c = self.clock
        if c.state == ClockState.RUNNING:
            return c.due_at is not None and c.due_at <= at
        if c.state == ClockState.PAUSED:
            return c.consumed_seconds >= c.budget_seconds
        return c.overdue

    def remaining(self, at: dt.datetime) -> int:
        return self.clock.budget_seconds - self.consumed(at)

    def pause(self, at: dt.datetime, *, kind: str, reason: str, actor_id: int | None) -> dict[str, Any]:
        c = self.clock
        assert c.state == ClockState.RUNNING
        consumed = self.consumed(at)
        c.state, c.consumed_seconds, c.running_since, c.warn_at, c.due_at = (
            ClockState.PAUSED,
            consumed,
            None,
            None,
            None,
        )
        c.version += 1
        self.pauses.append(ClockPause(kind=kind, reason=reason, started_at=at, actor_id=actor_id))
        return {"clock": c.name, "kind": kind, "reason": reason, "consumed_seconds": consumed}

    def resume(self, at: dt.datetime, *, actor_id: int | None) -> dict[str, Any]:
        c = self.clock
        assert c.state == ClockState.PAUSED
        c.warn_at, c.due_at = derived_times(
            self.calendar, unit=c.unit, since=at, consumed=c.consumed_seconds, budget=c.budget_seconds
        )
        c.state, c.running_since = ClockState.RUNNING, at
        c.version += 1
        pause = self.pauses[-1]
        pause.ended_at, pause.resumed_by_id = at, actor_id
        return {
            "clock": c.name,
            "kind": pause.kind,
            "paused_seconds": int((at - pause.started_at).total_seconds()),
            "remaining_seconds": c.budget_seconds - c.consumed_seconds,
            "due_at": c.due_at.isoformat(),
        }

    def stop(self, at: dt.datetime, *, result: str, actor_id: int | None) -> dict[str, Any]:
        c = self.clock
        assert c.state != ClockState.STOPPED
        late = self.is_late(at)
        consumed = self.consumed(at)
        c.state, c.consumed_seconds, c.running_since, c.warn_at = ClockState.STOPPED, consumed, None, None
        c.overdue = c.overdue or late
        c.warned = c.warned or consumed * 5 >= c.budget_seconds * 4
        c.stopped_at, c.result = at, result
        c.version += 1
        for pause in self.pauses:
            if pause.ended_at is None:
                pause.ended_at, pause.resumed_by_id = at, actor_id
        return {
            "clock": c.name,
            "result": result,
            "consumed_seconds": consumed,
            "budget_seconds": c.budget_seconds,
            "late": c.overdue,
        }

    def settle(self, now: dt.datetime) -> None:
        """What the timer worker would have flagged by `now` on a clock still live."""
        c = self.clock
        if c.state == ClockState.RUNNING:
            assert c.warn_at is not None and c.due_at is not None
            c.warned = c.warn_at <= now
            c.overdue = c.due_at <= now
        elif c.state == ClockState.PAUSED:
            c.warned = c.consumed_seconds * 5 >= c.budget_seconds * 4
            c.overdue = c.consumed_seconds >= c.budget_seconds
