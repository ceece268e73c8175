"""The cases every demo history contains whatever its length and seed, so that no step of the loop is missing.

Opening cases are filed on the first working morning, one per detour and per channel, with time to run to
their end. Closing cases are filed shortly before the end and left at each status of the loop; aged ones are
left at a stage long enough for the yellow and red lights. The random stream still chooses their places,
reporters and people, so they look like the rest.
"""

import datetime as dt
from typing import Any

from grassroots.events.choices import Level, Source, Status
from grassroots.events.clock import limit_for
from grassroots.workcal.calendar import WorkCalendar
from grassroots.workcal.choices import LimitUnit

from .fates import Fate
from .reports import ReportPlanner, ReportSpec, point_near

# (source, type code, fate); "near_previous": a second report of the case before it (merged).
OPENING: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (Source.PATROL, "ZF0101", {"self_handle": True}),
    (Source.PHONE, "FW0101", {"void": True}),
    (Source.HOTLINE_12345, "ZF0401", {"invalid": True}),
    (Source.PATROL, "ZF0103", {}),  # the next one repeats it: merged, and a supervision order follows
    (Source.HOTLINE_12345, "ZF0103", {"near_previous": True}),
    (Source.PATROL, "ZZ0201", {"wrong_unit": True}),
    (Source.ONLINE, "SC0101", {"reworks": 1}),
    (Source.VISIT, "ZF0302", {"reworks": 2}),  # the second failed check escalates it
    (Source.LETTER, "ZZ0102", {"extension": "approve"}),
    (Source.VILLAGE, "FW0201", {"extension": "reject"}),
    (Source.SENSOR, "ZZ0401", {"beyond": True}),  # up to the district, handled by a county department
    (Source.OPEN311, "FW0403", {"beyond": True, "down": True}),  # up to the district and back down
    (Source.STAFF, "ZZ0403", {"joint": True}),
    (Source.PHONE, "SC0501", {"reopen": True}),
    (Source.PATROL, "ZZ0101", {"grid_up": True}),
    (Source.PATROL, "FW0404", {"supervise": True}),  # a township leader's supervision order
    (Source.VILLAGE, "ZZ0104", {"beyond": True}),  # the village passes it up to the township
    (Source.HOTLINE_12345, "ZF0403", {"slow": True}),  # overdue: escalated by the timer
    (Source.PATROL, "ZZ0601", {"slow": True}),  # overdue, not escalated (an emergency): urged by the timer
    (Source.PHONE, "SC0103", {"suspend": True}),  # 挂起 with approval, resumed: its deadlines move out
)
# (status to stop at, source, type code, fate), 3 minutes apart from QUICK_WINDOW working minutes before the end.
CLOSING: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    (Status.REPORTED, Source.PHONE, "FW0101", {}),
    (Status.VERIFYING, Source.PHONE, "FW0102", {}),
    (Status.VERIFIED, Source.HOTLINE_12345, "ZF0401", {}),
    (Status.REGISTERED, Source.PATROL, "ZF0103", {}),
    (Status.MERGED, Source.HOTLINE_12345, "ZF0103", {"near_previous": True}),
    (Status.DISPATCHED, Source.PATROL, "ZZ0201", {}),
    (Status.SIGNED, Source.PATROL, "SC0103", {}),
    (Status.HANDLING, Source.PATROL, "FW0403", {}),
    (Status.SUSPENDED, Source.PATROL, "SC0103", {"suspend": True}),
    (Status.FED_BACK, Source.PATROL, "ZF0302", {}),
    (Status.CHECKING, Source.PATROL, "ZZ0402", {}),
    (Status.CHECKED, Source.SENSOR, "ZF0503", {}),
    (Status.EVALUATED, Source.PATROL, "FW0401", {}),
    (Status.CLOSED, Source.PATROL, "ZF0302", {}),
    (Status.SELF_HANDLED, Source.PATROL, "ZF0101", {"self_handle": True}),
    (Status.VOID, Source.PHONE, "SC0201", {"void": True}),
    (Status.INVALID, Source.ONLINE, "FW0502", {"invalid": True}),
)
# Every closing case is done within this many working minutes (steps 3–5 minutes apart): less than the
# shortest clock it stops under (2 working hours for triage), so none of them turns red.
QUICK_WINDOW = 110
# (status to stop at, source, type code, age in working days; None: YELLOW_SHARE of its handling limit).
AGED: tuple[tuple[str, str, str, float | None], ...] = (
    (Status.SIGNED, Source.PATROL, "SC0103", None),  # yellow (预警)
    (Status.HANDLING, Source.PATROL, "ZZ0602", 2),  # red: an emergency's one natural day is long gone; urged
    (Status.FED_BACK, Source.PATROL, "ZF0302", 2),  # red: nobody has checked it within 8 working hours
)
YELLOW_SHARE = 0.88


def showcase(
    planner: ReportPlanner, calendar: WorkCalendar, *, start: dt.datetime, until: dt.datetime, tz: dt.tzinfo
) -> list[tuple[ReportSpec, Fate]]:
    """The showcase reports of a history from `start` to `until`, in filing order; those before `start` are left out."""
    day = start.astimezone(tz).date()
    while not calendar.is_workday(day) and day < until.astimezone(tz).date():
        day += dt.timedelta(days=1)
    nine = dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz)
    stories = [
        (nine + dt.timedelta(minutes=7 * i), source, code, Fate(**_fate(extra)), extra)
        for i, (source, code, extra) in enumerate(OPENING)
    ]
    end = calendar.working_clock(until)
    for i, (stop, source, code, extra) in enumerate(CLOSING):
        moment = calendar.moment_at(end - (QUICK_WINDOW - 3 * i) * 60)
        stories.append((moment, source, code, Fate(stop_at=stop, quick=True, **_fate(extra)), extra))
    for stop, source, code, age in AGED:
        if age is None:  # dispatched a few minutes after the report
            amount, unit = limit_for(planner.by_code[code], Level.TOWNSHIP)
            seconds = YELLOW_SHARE * float(amount) * calendar.unit_seconds(LimitUnit(unit)) + 600
        else:
            seconds = age * calendar.unit_seconds(LimitUnit.WORKING_DAYS)
        moment = calendar.moment_at(end - round(seconds))
        stories.append((moment, source, code, Fate(stop_at=stop, quick=True), {}))

    cases: list[tuple[ReportSpec, Fate]] = []
    previous: ReportSpec | None = None
    for moment, source, code, fate, extra in stories:
        at = moment.astimezone(dt.UTC)
        if not start <= at < until:
            continue
        event_type = planner.by_code[code]
        if extra.get("near_previous") and previous is not None:
            point = point_near(planner.rng, previous.lon, previous.lat, metres=(5, 25))
            spec = planner.make(at=at, source=source, event_type=event_type, spot=previous.spot, point=point)
        else:
            spec = planner.make(at=at, source=source, event_type=event_type)
        cases.append((spec, fate))
        previous = spec
    return cases


def _fate(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extra.items() if k != "near_previous"}
