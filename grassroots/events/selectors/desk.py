"""The department desk: one unit's assignments by tab, and how many each tab has."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet

from ..choices import ACTIVE_ASSIGNMENT, AssignmentStatus
from ..models import Assignment
from .lights import light_q
from .listing import open_items

DESK_TABS = ("to_sign", "in_hand", "due_soon", "overdue", "returned", "history")
# What the unit is done with: fed back (awaiting the check, or reworked in a later round) or passed.
DESK_DONE = (AssignmentStatus.FED_BACK, AssignmentStatus.DONE)


def _desk_q(tab: str, now: dt.datetime) -> Q:
    active = Q(status__in=ACTIVE_ASSIGNMENT)
    if tab == "to_sign":
        return Q(status=AssignmentStatus.DISPATCHED)
    if tab == "in_hand":
        return Q(status__in=[AssignmentStatus.SIGNED, AssignmentStatus.HANDLING])
    if tab == "due_soon":
        return active & light_q("yellow", now)
    if tab == "overdue":
        return active & light_q("red", now)
    if tab == "returned":
        return Q(status=AssignmentStatus.RETURNED)
    if tab == "history":
        return Q(status__in=DESK_DONE)
    raise ValueError(tab)


def _desk_cards(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """What a desk card shows, joined in: the event, its type and place, its open order and pending request."""
    return rows.select_related("event", "event__event_type", "event__grid", "event__village").annotate(
        **open_items("event_id")
    )


def desk_assignments(*, unit_id: int, tab: str, now: dt.datetime) -> QuerySet[Assignment]:
    """The unit's assignments on one tab of its desk: most urgent first (returned and done ones: latest first)."""
    rows = _desk_cards(Assignment.objects.filter(_desk_q(tab, now), unit_id=unit_id))
    if tab == "returned":
        return rows.order_by("-returned_at", "-id")
    if tab == "history":
        return rows.order_by(F("fed_back_at").desc(nulls_last=True), "-id")
    return rows.order_by("deadline", "id")


def desk_assignment(*, unit_id: int, event_id: int) -> Assignment | None:
    """The unit's latest assignment on the event, as its desk card shows it."""
    return (
        _desk_cards(Assignment.objects.filter(event_id=event_id, unit_id=unit_id))
        .order_by("-round", "-id")
        .first()
    )


def desk_counts(*, unit_id: int, now: dt.datetime) -> dict[str, int]:
    """How many rows each desk tab has, in one query."""
    counts = {tab: Count("pk", filter=_desk_q(tab, now)) for tab in DESK_TABS}
    return Assignment.objects.filter(unit_id=unit_id).aggregate(**counts)
