"""What the intake desk shows while the operator types: the caller's earlier reports (same phone) and open events
of the same type nearby (duplicate candidates), each in the operator's scope, and places found by name.

Reads only; the radius and the windows are local rules (`EVENTS_INTAKE_*` settings)."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from grassroots.audit.services import audit_record_read
from grassroots.core.scope import scope_of
from grassroots.geo.models import BaseFeature, Grid
from grassroots.people.models import Person

from ..choices import OPEN_STATUSES, Status
from ..models import Event
from ..permissions import visible_to
from .intake import _metres
from .intake_desk import intake_setting, phone_digits

MAX_SHOWN = 10
CALLER_FIELDS = ("reporter_name", "reporter_phone")


def duplicate_radius_m() -> int:
    return intake_setting("DUPLICATE_RADIUS_M", 300)


def duplicate_days() -> int:
    return intake_setting("DUPLICATE_DAYS", 30)


def caller_days() -> int:
    return intake_setting("CALLER_DAYS", 365)


@dataclass
class Candidate:
    event: Event
    distance_m: float | None  # None for a match by phone
    join_target: Event | None  # the open event a join would go to (the master of a merged report), if any


def _target(event: Event) -> Event | None:
    master = event.merged_into if event.status == Status.MERGED else event
    if master is None or master.status not in OPEN_STATUSES:
        return None
    return master


def candidates_by_caller(*, viewer: Person, phone: str, now: dt.datetime | None = None) -> list[Candidate]:
    """The caller's reports in the last `caller_days()` days, newest first; the names shown are a read."""
    digits = phone_digits(phone)
    if len(digits) < 7:
        return []
    since = (now or timezone.now()) - dt.timedelta(days=caller_days())
    events = list(
        visible_to(viewer)
        .filter(reporter_phone=digits, reported_at__gte=since)
        .select_related("event_type", "merged_into")
        .order_by("-reported_at", "-id")[:MAX_SHOWN]
    )
    named = [e for e in events if e.reporter_name]
    if named:
        audit_record_read(actor=viewer, objects=named, fields=CALLER_FIELDS, purpose="page.events.intake")
    return [Candidate(event=e, distance_m=None, join_target=_target(e)) for e in events]


def candidates_nearby(
    *, viewer: Person, type_code: str, lon: float, lat: float, now: dt.datetime | None = None
) -> list[Candidate]:
    """Open events of the type (any version of it) within `duplicate_radius_m()` of the point, reported in the
    last `duplicate_days()` days, nearest first: a band of latitude and longitude, then the true distance."""
    radius = duplicate_radius_m()
    since = (now or timezone.now()) - dt.timedelta(days=duplicate_days())
    dlat = radius / 111_000
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows = (
        visible_to(viewer)
        .filter(
            event_type__code=type_code,
            status__in=sorted(OPEN_STATUSES),
            reported_at__gte=since,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        )
        .select_related("event_type")
        .order_by("reported_at", "id")[:200]
    )
    near = [(e, _metres(lon, lat, e.lon, e.lat)) for e in rows if e.lon is not None and e.lat is not None]
    near = sorted((x for x in near if x[1] <= radius), key=lambda x: (x[1], x[0].pk))[:MAX_SHOWN]
    return [Candidate(event=e, distance_m=d, join_target=e) for e, d in near]


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    lon: float
    lat: float
    grid_code: str = ""


def places_named(*, viewer: Person, q: str) -> list[Place]:
    """Grids of the viewer's area (by their name or their village's), then the base map's named roads, waters and
    villages, whose name contains `q`."""
    q = q.strip()
    if len(q) < 1:
        return []
    scope = scope_of(viewer)
    grids = Grid.objects.filter(Q(name__icontains=q) | Q(village__name__icontains=q))
    if not scope.everything:
        grids = grids.filter(scope.q(region_field="code"))
    found = [
        Place(
            name=f"{g.village.name}{g.name}", kind="网格", lon=g.label_lon, lat=g.label_lat, grid_code=g.code
        )
        for g in grids.select_related("village").order_by("code")[:MAX_SHOWN]
        if g.label_lon or g.label_lat
    ]
    features = BaseFeature.objects.filter(name__icontains=q).exclude(name="").order_by("rank", "name", "id")
    found += [
        Place(name=f.name, kind=f.get_kind_display(), lon=f.label_lon, lat=f.label_lat)
        for f in features[:MAX_SHOWN]
        if f.label_lon or f.label_lat
    ]
    return found[:MAX_SHOWN]
