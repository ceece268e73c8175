"""A second, deliberately naive implementation of the indicator counts: plain Python over the raw rows, event by
event, written from docs/assessment.md rather than from indicators.py. Tests compare it with the SQL figures and
with what a published assessment stored. Slow, and only for small test data."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from grassroots.events.models import Assignment, Event, SupervisionOrder, Transition
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit

IN_HAND = {"dispatched", "signed", "handling"}


def reference_counts(
    *,
    region_prefix: str,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime,
    key: Callable[[str, Any], Any],
) -> dict[Any, Counter[str]]:
    """{subject: Counter of counts}; key(relation, row) names a row's subject (None: not attributed)."""
    end = min(end, as_of)
    calendar = get_calendar()

    def within(moment: dt.datetime | None) -> bool:
        return moment is not None and start <= moment < end

    def by(moment: dt.datetime | None) -> bool:
        return moment is not None and moment <= as_of

    events = {
        e.pk: e
        for e in Event.objects.select_related("event_type").filter(region_code__startswith=region_prefix)
        if e.merged_into_id is None
    }
    history: dict[int, list[Transition]] = defaultdict(list)
    for t in Transition.objects.filter(event_id__in=list(events)).order_by("event_id", "seq"):
        history[t.event_id].append(t)
    assignments = list(Assignment.objects.filter(event_id__in=list(events)).order_by("event_id", "id"))
    out: dict[Any, Counter[str]] = defaultdict(Counter)

    def add(relation: str, row: Any, *names: str) -> None:
        subject = key(relation, row)
        if subject is not None:
            for name in names:
                out[subject][name] += 1

    for e in events.values():
        if within(e.reported_at):
            add("event", e, "reported", f"reported_{e.platform}")
            valid = by(e.registered_at) or by(e.fed_back_at)
            if valid or e.status in ("void", "invalid", "archived"):
                add("event", e, "reports_decided")
            if valid:
                add("event", e, "reports_valid")
        if within(e.registered_at):
            add("event", e, "registered")
            if e.extended:
                add("event", e, "extended")
        if within(e.closed_at):
            add("event", e, "closed", f"closed_l{e.level}")
            if e.level <= 2:
                add("event", e, "closed_low")
            if e.satisfaction is not None:
                add("event", e, "rated")
                if e.satisfaction >= 4:
                    add("event", e, "satisfied")
        if within(e.due_at):
            add("event", e, "due_close")
            closed_at, due_at = e.closed_at, e.due_at
            closed = closed_at is not None and closed_at <= as_of
            in_time = closed and closed_at is not None and due_at is not None and closed_at <= due_at
            if closed:
                add("event", e, "closed_of_due")
            if in_time and e.reopen_count == 0:
                add("event", e, "closed_on_time")
            if not in_time:
                add("event", e, "overdue_close")
        for t in history[e.pk]:
            if t.action == "reopen" and within(t.at):
                add("reopen", t, "reopened")
            if t.action == "verify" and t.to_status == "verifying":
                deadline = calendar.add(t.at, e.event_type.verify_hours, unit=LimitUnit.WORKING_HOURS)
                if not within(deadline):
                    continue
                add("verification", t, "due_verify")
                verdict = next(
                    (
                        v
                        for v in history[e.pk]
                        if v.from_status == "verifying"
                        and v.to_status in ("verified", "invalid")
                        and v.at <= as_of
                    ),
                    None,
                )
                if verdict is not None:
                    used = calendar.working_seconds_between(t.at, verdict.at)
                    if used <= e.event_type.verify_hours * 3600:
                        add("verification", t, "verified_on_time")

    for a in assignments:
        e = events[a.event_id]
        if within(a.dispatched_at):
            add("assignment", a, "dispatched")
            if a.status == "returned":
                add("assignment", a, "returned")
        if within(a.deadline) and a.status != "returned":
            cancelled_early = False
            if a.status == "cancelled" and a.fed_back_at is None:
                leaving = next(
                    (
                        t
                        for t in history[e.pk]
                        if t.at > a.dispatched_at
                        and t.from_status in IN_HAND
                        and (t.to_status == "registered" or t.action == "escalate")
                    ),
                    None,
                )
                cancelled_early = leaving is not None and leaving.at < a.deadline
            if not cancelled_early:
                add("assignment", a, "due_handle")
                if a.fed_back_at is not None and a.fed_back_at <= a.deadline and a.fed_back_at <= as_of:
                    add("assignment", a, "handled_on_time")
                else:
                    add("assignment", a, "overdue_handle")
        if within(a.fed_back_at):
            add("assignment", a, "handled")
            if a.status == "fed_back" and a.round <= e.rework_count:
                add("assignment", a, "reworked")

    for o in SupervisionOrder.objects.filter(event_id__in=list(events)):
        if within(o.issued_at):
            add("supervision", o, "supervised" if o.kind == "supervise" else "urged")
    return out


def responsible_unit(event_id: int) -> int | None:
    leads = [
        a
        for a in Assignment.objects.filter(event_id=event_id, role="lead").order_by("dispatched_at", "id")
        if a.status not in ("returned", "cancelled")
    ]
    return leads[-1].unit_id if leads else None


def township_key(relation: str, row: Any) -> Any:
    event = row if relation == "event" else row.event
    return event.township_id


def unit_key(relation: str, row: Any) -> Any:
    if relation in ("assignment", "supervision"):
        return row.unit_id
    if relation == "event":
        return responsible_unit(row.pk)
    return None
