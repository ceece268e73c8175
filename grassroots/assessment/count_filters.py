"""The filter of every count of indicators.py, relation by relation: `COUNT(*) FILTER (WHERE …)` for the figures
and the WHERE of the drill-down lists, so a figure and the list behind it cannot disagree."""

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.lookups import LessThanOrEqual

from grassroots.events.choices import IN_HAND_STATUSES, AssignmentRole, AssignmentStatus, Status
from grassroots.events.models import Assignment, Transition
from grassroots.org.choices import PlatformKind

from .indicators import Window, _in

AS = AssignmentStatus


def event_filters(w: Window) -> dict[str, Q]:
    """Filters on Event (merged duplicates already left out by the caller)."""
    due = _in("due_at", w)
    closed = _in("closed_at", w)
    closed_by = Q(closed_at__isnull=False, closed_at__lte=w.as_of)
    reported = _in("reported_at", w)
    valid = Q(registered_at__lte=w.as_of) | Q(fed_back_at__lte=w.as_of)
    # Archived events are closed ones (valid) or voided, invalid or merged ones (decided): all decided.
    decided = valid | Q(status__in=[Status.VOID, Status.INVALID, Status.ARCHIVED])
    registered = _in("registered_at", w)
    filters = {
        "reported": reported,
        "registered": registered,
        "extended": registered & Q(extended=True),
        "closed": closed,
        "closed_low": closed & Q(level__lte=2),
        "closed_l1": closed & Q(level=1),
        "closed_l2": closed & Q(level=2),
        "closed_l3": closed & Q(level=3),
        "closed_l4": closed & Q(level=4),
        "rated": closed & Q(satisfaction__isnull=False),
        "satisfied": closed & Q(satisfaction__gte=4),
        "due_close": due,
        "closed_of_due": due & closed_by,
        "closed_on_time": due & closed_by & Q(closed_at__lte=F("due_at"), reopen_count=0),
        "overdue_close": due & ~(closed_by & Q(closed_at__lte=F("due_at"))),
        "reports_decided": reported & decided,
        "reports_valid": reported & valid,
    }
    for kind in PlatformKind:
        filters[f"reported_{kind.value}"] = reported & Q(platform=kind.value)
    return filters


# The timestamp each event count is windowed on (what the scan's WHERE must let through).
EVENT_WINDOW_FIELD = {
    "registered": "registered_at",
    "extended": "registered_at",
    "closed": "closed_at",
    "closed_low": "closed_at",
    "closed_l1": "closed_at",
    "closed_l2": "closed_at",
    "closed_l3": "closed_at",
    "closed_l4": "closed_at",
    "rated": "closed_at",
    "satisfied": "closed_at",
    "due_close": "due_at",
    "closed_of_due": "due_at",
    "closed_on_time": "due_at",
    "overdue_close": "due_at",
}
ASSIGNMENT_WINDOW_FIELD = {
    "dispatched": "dispatched_at",
    "returned": "dispatched_at",
    "due_handle": "deadline",
    "handled_on_time": "deadline",
    "overdue_handle": "deadline",
    "handled": "fed_back_at",
    "reworked": "fed_back_at",
}


def prefilter(fields: dict[str, str], default: str, names: list[str], w: Window) -> Q:
    """Rows any of the requested counts can match: an OR of the windows on the timestamps they use."""
    q = Q(pk__in=[])
    for field in sorted({fields.get(name, default) for name in names}):
        q |= _in(field, w)
    return q


def cancelled_before_deadline() -> Exists:
    """The assignment was cancelled, unfed back, before its deadline: the event left the units' hands (the lead
    returned it, or it was escalated) strictly after this dispatch and before the deadline. A timeout escalation
    happens at or after the deadline, so a unit that let the clock run out still counts as late."""
    return Exists(
        Transition.objects.filter(
            event_id=OuterRef("event_id"),
            at__gt=OuterRef("dispatched_at"),
            at__lt=OuterRef("deadline"),
            from_status__in=sorted(IN_HAND_STATUSES),
        ).filter(Q(to_status=Status.REGISTERED) | Q(action="escalate"))
    )


def excused_assignments(w: Window) -> Any:
    """Ids of the tasks due in W that were cancelled, unfed back, before their deadline: a small uncorrelated
    subquery (cancelled tasks are few, and found by the (status, deadline) index), so the main scan stays
    parallel and only probes a hash of these ids."""
    return (
        Assignment.objects.filter(status=AS.CANCELLED, fed_back_at__isnull=True)
        .filter(_in("deadline", w))
        .filter(cancelled_before_deadline())
        .values("pk")
    )


def assignment_filters(w: Window) -> dict[str, Q]:
    dispatched = _in("dispatched_at", w)
    excused = Q(pk__in=excused_assignments(w))
    due = _in("deadline", w) & ~Q(status=AS.RETURNED) & ~excused
    on_time = Q(fed_back_at__isnull=False, fed_back_at__lte=F("deadline")) & Q(fed_back_at__lte=w.as_of)
    handled = _in("fed_back_at", w)
    return {
        "dispatched": dispatched,
        "returned": dispatched & Q(status=AS.RETURNED),
        "due_handle": due,
        "handled_on_time": due & on_time,
        "overdue_handle": due & ~on_time,
        "handled": handled,
        # A round that failed its check keeps its assignments in FED_BACK (a passed one becomes DONE) and
        # raised the event's rework count to at least the round's number.
        "reworked": handled & Q(status=AS.FED_BACK, round__lte=F("event__rework_count")),
    }


def earliest_start(moment: dt.datetime, hours: int) -> dt.datetime:
    """S(T): the earliest verification start whose deadline (start + `hours` working hours) is not before T.

    The deadline of a start s is the earliest moment at which the working clock W reaches W(s) + L (L = the
    limit in seconds). It is not before T exactly when W(T − 1s) < W(s) + L, i.e. W(s) ≥ W(T − 1s) − L + 1,
    and the earliest such s is the moment W reaches that value.
    """
    from grassroots.workcal.calendar import get_calendar

    seconds = int(hours) * 3600
    if seconds == 0:
        return moment
    calendar = get_calendar()
    try:
        clock = calendar.working_clock(moment - dt.timedelta(seconds=1)) - seconds + 1
        return calendar.moment_at(max(clock, 0))
    except ValueError:  # outside the calendar's years: nothing falls due there
        return moment


def verification_window(w: Window, limits_hours: list[int]) -> Q:
    """Verification starts whose deadline (start + the type's verify_hours working hours) falls in W.

    The deadline is monotonic in the start, so the starts whose deadline falls in [A, B) are an interval
    [S(A), S(B)): one range per distinct limit.
    """
    q = Q(pk__in=[])
    for hours in sorted(set(limits_hours)):
        q |= Q(
            event__event_type__verify_hours=hours,
            at__gte=earliest_start(w.start, hours),
            at__lt=earliest_start(w.end, hours),
        )
    return q


def verification_stage_seconds(w: Window) -> Subquery:
    """Working seconds the verification stage used: the steps taken while VERIFYING (warnings, urges and the
    verdict) each record the working time since the step before, so their sum is W(verdict) − W(start)."""
    return Subquery(
        Transition.objects.filter(
            event_id=OuterRef("event_id"), from_status=Status.VERIFYING, at__lte=w.as_of
        )
        .order_by()
        .values("event_id")
        .annotate(total=Sum("elapsed_seconds"))
        .values("total")[:1]
    )


def verification_filters(w: Window, limits_hours: list[int]) -> dict[str, Q]:
    due = verification_window(w, limits_hours)
    verdict = Exists(
        Transition.objects.filter(
            event_id=OuterRef("event_id"),
            from_status=Status.VERIFYING,
            to_status__in=[Status.VERIFIED, Status.INVALID],
            at__lte=w.as_of,
        )
    )
    within = LessThanOrEqual(verification_stage_seconds(w), F("event__event_type__verify_hours") * 3600)
    on_time = Q(verdict) & Q(within)
    return {"due_verify": due, "verified_on_time": due & on_time}


def supervision_filters(w: Window) -> dict[str, Q]:
    issued = _in("issued_at", w)
    return {"supervised": issued & Q(kind="supervise"), "urged": issued & Q(kind="urge")}


def reopen_filters(w: Window) -> dict[str, Q]:
    return {"reopened": _in("at", w)}


def responsible_unit() -> Subquery:
    """The unit answerable for an event: the lead of its latest lead assignment that was not returned or
    cancelled (the unit that has it now, or that finished it)."""
    return Subquery(
        Assignment.objects.filter(event_id=OuterRef("pk"), role=AssignmentRole.LEAD)
        .exclude(status__in=[AS.RETURNED, AS.CANCELLED])
        .order_by("-dispatched_at", "-id")
        .values("unit_id")[:1]
    )
