"""What a viewer may do with an event: the actions the table allows, a unit's own holder steps, and where the
event may be dispatched (with the units to offer first)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

from grassroots.core.scope import code_prefix_q
from grassroots.geo.codes import district_of, township_of
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit

from .. import routing, rules
from ..choices import ACTIVE_ASSIGNMENT, AssignmentRole, AssignmentStatus
from ..models import Assignment, Event
from ..services.core import holder_unit_ids

# -- what the viewer may do ---------------------------------------------------------------------------------


def allowed_actions(*, event: Event, viewer: Any, holder_ids: set[int] | None = None) -> list[str]:
    """What the table lets this viewer try now, in the order of the loop (the services may still refuse on finer
    conditions).

    `holder_ids` are the units holding an active assignment, when the caller has them already.
    """
    holders = holder_unit_ids(event) if holder_ids is None else holder_ids
    return rules.LOOP.allowed(event.status, rules.actor_kinds(event, viewer, holders))


def unit_actions(*, event: Event, assignment: Assignment | None) -> list[str]:
    """The holder steps open to the unit of `assignment` now (no queries): those both the event's table and the
    assignment's allow. In joint handling each unit signs and feeds back for itself; "start handling" is said once."""
    if assignment is None or assignment.status not in ACTIVE_ASSIGNMENT:
        return []
    kinds = {rules.Actor.HOLDER}
    on_event = set(rules.LOOP.allowed(event.status, kinds))
    return [
        action
        for action in rules.ASSIGNMENTS.allowed(assignment.status, kinds)
        if action in on_event and not (action == "handle" and assignment.status == AssignmentStatus.HANDLING)
    ]


def narrow_for_unit(actions: list[str], *, event: Event, assignment: Assignment | None) -> list[str]:
    """`allowed_actions` without the holder steps the viewer's own assignment is past (or not yet at)."""
    holder_steps = {m.action for m in rules.ASSIGNMENT_TABLE if rules.Actor.HOLDER in m.actors}
    mine = set(unit_actions(event=event, assignment=assignment))
    return [a for a in actions if a not in holder_steps or a in mine]


def active_assignment_of(event: Event, unit_id: int | None) -> Assignment | None:
    """The unit's current assignment on `event`, from the prefetched assignments (latest round first)."""
    if not unit_id:
        return None
    mine = [a for a in event.assignments.all() if a.unit_id == unit_id and a.status in ACTIVE_ASSIGNMENT]
    return max(mine, key=lambda a: (a.round, a.pk), default=None)


# -- dispatch: where an event may go, and where it probably should ------------------------------------------

NOT_HANDLERS = (UnitKind.COMMAND_ROOM, UnitKind.COMMAND_CENTRE)
UNIT_KIND_ORDER = [
    UnitKind.DISPATCHED_AGENCY,
    UnitKind.TOWNSHIP_OFFICE,
    UnitKind.VILLAGE_COMMITTEE,
    UnitKind.COUNTY_DEPARTMENT,
]


def dispatch_units(*, region_code: str) -> list[Unit]:
    """The active handling units for an event at `region_code`: its township's offices, agencies and village
    committees, and the district's departments (for level-4 work); agencies first, then by code."""
    township, district = township_of(region_code), district_of(region_code)
    q = Q(kind=UnitKind.COUNTY_DEPARTMENT, division__code=district) if len(district) == 6 else Q(pk__in=[])
    if len(township) == 9:
        q |= code_prefix_q("division__code", township)
    units = Unit.objects.filter(q, is_active=True).exclude(kind__in=NOT_HANDLERS).order_by("code")
    order = {kind: i for i, kind in enumerate(UNIT_KIND_ORDER)}
    return sorted(units, key=lambda u: (order.get(UnitKind(u.kind), 9), u.code))


@dataclass
class UnitSuggestion:
    unit: Unit
    reasons: list[str]


def dispatch_suggestions(*, event: Event, history: int = 2) -> list[UnitSuggestion]:
    """Units to offer first, in this order: the type's default unit, the units that led the most events of the
    same type in this grid (returned assignments do not count: that was the wrong unit), the platform's lead."""
    found: dict[int, UnitSuggestion] = {}

    def add(unit: Unit | None, reason: str) -> None:
        if unit is None or not unit.is_active or unit.kind in NOT_HANDLERS:
            return
        found.setdefault(unit.pk, UnitSuggestion(unit=unit, reasons=[])).reasons.append(reason)

    add(routing.default_unit_for(event), gettext("分类默认处置单位"))
    if event.grid_id is not None and history > 0:
        rows = list(
            Assignment.objects.filter(
                event__grid_id=event.grid_id,
                event__event_type_id=event.event_type_id,
                role=AssignmentRole.LEAD,
            )
            .exclude(status__in=[AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED])
            .exclude(event_id=event.pk)
            .values("unit_id")
            .annotate(n=Count("event_id", distinct=True))
            .order_by("-n", "unit_id")[:history]
        )
        units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
        for row in rows:
            add(units.get(row["unit_id"]), gettext("本网格同类事件办理 %(n)s 件") % {"n": row["n"]})
    if event.township_id is not None and event.platform:
        platform = (
            Platform.objects.filter(township_id=event.township_id, kind=event.platform)
            .select_related("lead_unit")
            .first()
        )
        if platform is not None:
            add(
                platform.lead_unit,
                gettext("%(platform)s平台牵头单位") % {"platform": PlatformKind(event.platform).label},
            )
    return list(found.values())
