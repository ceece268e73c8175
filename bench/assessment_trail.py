"""One generated event's trail for assessment_histories.py: its transitions as the services would record them
(`seq`, working seconds since the previous step), its current status and the stage clock's moments.
"""

import datetime as dt
from typing import Any


class Trail:
    """The steps of the event row `event` so far; nothing is recorded after `end` (the data stop there)."""

    def __init__(self, event: dict[str, Any], *, cal: Any, end: dt.datetime) -> None:
        self.event = event
        self.cal = cal
        self.end = end
        reported = event["reported_at"]
        self.rows: list[dict[str, Any]] = []
        self.state: dict[str, Any] = {"status": "", "at": reported, "W": cal.working_clock(reported)}
        self.stage: dict[str, Any] = {}

    def step(
        self,
        at: dt.datetime,
        action: str,
        to: str | None,
        actor: int | None,
        unit: int | None = None,
        data: Any = None,
    ) -> bool:
        """Record a step at `at` unless it falls after the end of the data; False then."""
        if at > self.end:
            return False
        state, trs = self.state, self.rows
        at = max(at, state["at"])
        clock = self.cal.working_clock(at)
        trs.append(
            {
                "event_id": self.event["id"],
                "seq": len(trs) + 1,
                "at": at,
                "actor_id": actor,
                "action": action,
                "from_status": state["status"],
                "to_status": to or state["status"],
                "level": self.event["level"],
                "unit_id": unit,
                "note": "",
                "elapsed_seconds": max(clock - state["W"], 0) if trs else 0,
                "data": data or {},
            }
        )
        state["status"] = to or state["status"]
        state["at"], state["W"] = at, clock
        return True

    def clock_stage(self, clock: Any) -> None:
        self.stage.update(stage_started_at=clock.started, warn_at=clock.warn_at, deadline=clock.deadline)

    def no_stage(self) -> None:
        self.stage.update(stage_started_at=None, warn_at=None, deadline=None)
