"""The area a figure covers: a division code the viewer chose within their scope, and the viewer's visible
events in it (the one place assessment narrows `events.permissions.visible_to` to a region)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scope import OutOfScope, code_prefix_q, code_strays, code_upper, scope_of
from grassroots.events.models import Assignment, Event
from grassroots.events.permissions import visible_to
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division

from .indicators import Relation

# The area parameter that asks for every district (an empty parameter is the viewer's default area).
ALL = "all"
ALL_NAME = "全部区县"


@dataclass(frozen=True)
class Area:
    """The part of the map a figure covers: a division code (6 district, 9 township, 12 village) or "" for all."""

    code: str
    name: str

    @property
    def param(self) -> str:
        """The value of `area` in a link to this area."""
        return self.code or ALL

    @property
    def level(self) -> str:
        return {6: DivisionLevel.DISTRICT, 9: DivisionLevel.TOWNSHIP, 12: DivisionLevel.VILLAGE}.get(
            len(self.code), ""
        )


def area_default(viewer: Any) -> str:
    scope = scope_of(viewer)
    if scope.everything:
        district = Division.objects.filter(level=DivisionLevel.DISTRICT, valid_to__isnull=True).order_by(
            "code"
        )
        first = district.values_list("code", flat=True).first()
        return first or ""
    return scope.widened_to(12).region_prefix


def area_resolve(viewer: Any, code: str | None) -> Area:
    """The area `code` if it lies within the viewer's scope (404 otherwise, as for any object out of scope)."""
    code = (code or "").strip()
    if code == ALL:
        if not scope_of(viewer).everything:
            raise Http404("只有全市（全省）范围的账号可以查看全部区县")
        return Area("", ALL_NAME)
    code = code or area_default(viewer)
    try:
        # Areas stop at villages: a grid's scope may choose its village.
        scope_of(viewer).widened_to(12).within(code)
    except OutOfScope as refused:
        raise Http404(refused.message) from None
    if code and not (code.isdigit() and len(code) in (6, 9, 12)):
        raise Http404("区域代码无效")
    if not code:
        return Area("", "全部")
    division = Division.objects.filter(code=code, valid_to__isnull=True).only("name").first()
    if division is None:
        raise Http404("区域不存在")
    return Area(code, division.name)


def scoped_events(viewer: Any, area: Area) -> QuerySet[Event]:
    """The viewer's visible events in the area, merged duplicates left out (the master counts once)."""
    events = visible_to(viewer).filter(merged_into__isnull=True)
    if area.code:
        events = events.filter(code_prefix_q("region_code", area.code))
    return events


def event_area_q(viewer: Any, area: Area, events: QuerySet[Event], relation: str) -> Q:
    """The same set as `scoped_events`, as a filter through the `event` join of another relation.

    When the area lies inside the viewer's region (always, for the roles that see assessment pages), the
    visible events in the area are exactly the events in the area, so a plain join filter is used; otherwise
    the visible set itself is the filter. Tasks need no join at all when the area holds every event and no
    merged duplicate was dispatched (merged events do have verification steps and may have orders, so those
    relations keep the join).
    """
    if not scope_of(viewer).covers(region_code=area.code):
        return Q(event__merged_into__isnull=True) & Q(event__in=events)
    if relation == Relation.ASSIGNMENT and area_holds_everything(area.code):
        return Q()  # no join: every event is in the area and no merged duplicate has a task
    q = Q(event__merged_into__isnull=True)
    if area.code:
        q &= code_prefix_q("event__region_code", area.code)
    return q


def area_holds_everything(code: str) -> bool:
    """Whether the area contains every event in the database and no merged duplicate was ever dispatched: then
    the tasks, steps and orders of the area's events are simply all of them, and their scans need not join the
    events table (a district's own installation). Two index probes."""
    if code:
        upper = code_upper(code)
        # Two range probes on the region_code index (a negated range would scan the table).
        strays = code_strays(code)  # none but for an area code ending in 9
        if (
            Event.objects.filter(region_code__lt=code).exists()
            or (upper is not None and Event.objects.filter(region_code__gte=upper).exists())
            or (strays and Event.objects.filter(region_code__in=strays).exists())
        ):
            return False
    return not Assignment.objects.filter(event__merged_into__isnull=False).exists()
