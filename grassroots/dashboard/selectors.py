"""Reads behind the command room's overview and map.

Every figure is an SQL aggregate (grouped `Count` with `filter=`) over `Event` and `Assignment`, always within
`events.permissions.visible_to(user)`, so the numbers on the wall are the numbers in the queue they link to.
The status light is the queue's own rule (`events.selectors.light_q`).
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from grassroots.core.errors import InvalidInput
from grassroots.events.choices import ACTIVE_ASSIGNMENT, OPEN_STATUSES, AssignmentStatus, Level, Status
from grassroots.events.models import Assignment, Event, EventType
from grassroots.events.permissions import visible_to
from grassroots.events.selectors import light_of, light_q
from grassroots.org.choices import PlatformKind

from .coords import display_geometry, display_point
from .permissions import map_grids, map_region_prefix

OPEN = sorted(OPEN_STATUSES)
# The queue's `status` filter: "open" (its default), "all", or one status.
OPEN_PARAM = "open"
ALL_PARAM = "all"
TREND_DAYS = 30
TOP = 5
# A unit needs this many assignments due in the window before its on-time rate is ranked (no 0/1 = 0% noise).
MIN_DUE = 3


def queue_url(**params: Any) -> str | None:
    """The command queue filtered by `params` (status, light, platform, level, grid, unit); None until it exists."""
    try:
        base = reverse("events:queue")
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def today_start(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


# -- the overview -------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The four headline counts, for the whole scope or one platform/level."""

    intake_today: int = 0
    open: int = 0
    overdue: int = 0
    closed_today: int = 0

    def add(self, row: Mapping[str, Any]) -> None:
        self.intake_today += row["intake_today"]
        self.open += row["open"]
        self.overdue += row["overdue"]
        self.closed_today += row["closed_today"]


@dataclass
class SplitRow:
    key: str
    label: str
    figures: Figures
    links: dict[str, str | None]


@dataclass
class Trend:
    days: list[dt.date]
    reported: list[int]
    closed: list[int]

    def as_chart(self) -> dict[str, Any]:
        return {
            "days": [d.strftime("%m-%d") for d in self.days],
            "reported": self.reported,
            "closed": self.closed,
            "labels": {"reported": str(_("上报")), "closed": str(_("结案"))},
        }


@dataclass
class UnitRow:
    unit_id: int
    name: str
    open: int = 0
    overdue: int = 0
    due: int = 0
    on_time: int = 0
    link: str | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class GridRow:
    code: str
    name: str
    open: int
    overdue: int
    link: str | None = None


@dataclass
class Overview:
    now: dt.datetime
    totals: Figures
    links: dict[str, str | None]
    by_platform: list[SplitRow]
    by_level: list[SplitRow]
    trend: Trend
    units_overdue: list[UnitRow] = field(default_factory=list)
    units_on_time: list[UnitRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)


def _figure_links(**scope: Any) -> dict[str, str | None]:
    """Where each headline figure leads: the queue with the same filters. The queue has no date filter, so
    today's intake opens every status newest first, and today's closures the closed events."""
    return {
        "intake_today": queue_url(status=ALL_PARAM, sort="new", **scope),
        "open": queue_url(status=OPEN_PARAM, **scope),
        "overdue": queue_url(light="red", **scope),
        "closed_today": queue_url(status=Status.CLOSED.value, **scope),
    }


def overview_figures(*, viewer: Any, now: dt.datetime | None = None) -> Overview:
    """The overview in six queries: counts by platform × level, two trend series, two unit rankings, grids."""
    now = now or timezone.now()
    today = today_start(now)
    events = visible_to(viewer)
    open_q = Q(status__in=OPEN)
    red = light_q("red", now)

    # 1. Headline counts and both splits from one grouped query (at most 4 × 4 rows).
    rows = list(
        events.filter(open_q | Q(reported_at__gte=today) | Q(closed_at__gte=today))
        .values("platform", "level")
        .annotate(
            intake_today=Count("pk", filter=Q(reported_at__gte=today)),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & red),
            closed_today=Count("pk", filter=Q(closed_at__gte=today)),
        )
        .order_by()
    )
    totals = Figures()
    platforms = {kind.value: Figures() for kind in PlatformKind}
    levels = {level.value: Figures() for level in Level}
    for row in rows:
        totals.add(row)
        platforms.setdefault(row["platform"], Figures()).add(row)
        levels.setdefault(row["level"], Figures()).add(row)
    by_platform = [
        SplitRow(
            key=kind.value,
            label=str(kind.label),
            figures=platforms[kind.value],
            links=_figure_links(platform=kind.value),
        )
        for kind in PlatformKind
    ]
    by_level = [
        SplitRow(
            key=str(level.value),
            label=str(level.label),
            figures=levels[level.value],
            links=_figure_links(level=level.value),
        )
        for level in Level
    ]
    return Overview(
        now=now,
        totals=totals,
        links=_figure_links(),
        by_platform=by_platform,
        by_level=by_level,
        trend=overview_trend(events=events, today=today),
        units_overdue=units_most_overdue(events=events, now=now),
        units_on_time=units_least_on_time(events=events, now=now),
        grids=grids_most_open(events=events, now=now),
    )


def overview_trend(*, events: QuerySet[Event], today: dt.datetime) -> Trend:
    """Reported and closed per local day over the last 30 days, today included (two grouped queries)."""
    tz = timezone.get_current_timezone()
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    days = [(start + dt.timedelta(days=i)).date() for i in range(TREND_DAYS)]

    def per_day(field_name: str) -> dict[dt.date, int]:
        rows = (
            events.filter(**{f"{field_name}__gte": start})
            .annotate(day=TruncDate(field_name, tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
        return {row["day"]: row["n"] for row in rows}

    reported, closed = per_day("reported_at"), per_day("closed_at")
    return Trend(
        days=days, reported=[reported.get(d, 0) for d in days], closed=[closed.get(d, 0) for d in days]
    )


def units_most_overdue(*, events: QuerySet[Event], now: dt.datetime) -> list[UnitRow]:
    """Units with the most overdue assignments still in hand (dispatched, signed or handling)."""
    rows = (
        Assignment.objects.filter(event__in=events, status__in=ACTIVE_ASSIGNMENT)
        .values("unit_id", "unit__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(overdue=True) | Q(deadline__lt=now)))
        .filter(overdue__gt=0)
        .order_by("-overdue", "-open", "unit__name")[:TOP]
    )
    return [
        UnitRow(
            unit_id=r["unit_id"],
            name=r["unit__name"],
            open=r["open"],
            overdue=r["overdue"],
            link=queue_url(light="red", unit=r["unit_id"]),
        )
        for r in rows
    ]


def units_least_on_time(*, events: QuerySet[Event], now: dt.datetime) -> list[UnitRow]:
    """Units with the lowest on-time handling rate (按期处置率) over assignments that fell due in the last 30 days.

    Due to handle: the deadline fell in the window and the assignment was not returned or superseded.
    Handled on time: fed back by the (possibly extended) deadline. Rates count what fell due, so none exceeds 100%.
    """
    start = now - dt.timedelta(days=TREND_DAYS)
    rows = (
        Assignment.objects.filter(event__in=events, deadline__gte=start, deadline__lte=now)
        .exclude(status__in=[AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED])
        .values("unit_id", "unit__name")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(fed_back_at__isnull=False, fed_back_at__lte=F("deadline"))),
        )
        .filter(due__gte=MIN_DUE)
        .order_by()
    )
    units = [
        UnitRow(
            unit_id=r["unit_id"],
            name=r["unit__name"],
            due=r["due"],
            on_time=r["on_time"],
            link=queue_url(status=ALL_PARAM, unit=r["unit_id"]),
        )
        for r in rows
        if r["on_time"] < r["due"]
    ]
    units.sort(key=lambda u: (u.on_time / u.due, -u.due, u.name))
    return units[:TOP]


def grids_most_open(*, events: QuerySet[Event], now: dt.datetime) -> list[GridRow]:
    """Grids with the most overdue open events, then the most open events."""
    rows = (
        events.filter(status__in=OPEN, grid__isnull=False)
        .values("grid__code", "grid__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=light_q("red", now)))
        .order_by("-overdue", "-open", "grid__code")[:TOP]
    )
    return [
        GridRow(
            code=r["grid__code"],
            name=r["grid__name"],
            open=r["open"],
            overdue=r["overdue"],
            link=queue_url(grid=r["grid__code"]),
        )
        for r in rows
    ]


# -- the map ------------------------------------------------------------------------------------------------

# Reported within: the whole backlog of open events, or those reported today / in the last 7 or 30 days.
PERIOD_DAYS: dict[str, int | None] = {"": None, "today": 0, "7d": 7, "30d": 30}
MAX_MARKERS = 5000
TITLE_CHARS = 40
GRID_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class MapFilters:
    platform: str = ""
    type_code: str = ""
    period: str = ""


def map_filters_from(params: Mapping[str, str]) -> MapFilters:
    """The map's filters from a query string; unknown values are refused in Chinese, per field."""
    filters = MapFilters(
        platform=params.get("platform", "").strip(),
        type_code=params.get("type", "").strip(),
        period=params.get("period", "").strip(),
    )
    errors: dict[str, str] = {}
    if filters.platform and filters.platform not in PlatformKind.values:
        errors["platform"] = "未知平台"
    if filters.period not in PERIOD_DAYS:
        errors["period"] = "时间范围应为 today、7d 或 30d"
    if filters.type_code and not EventType.objects.filter(code=filters.type_code).exists():
        errors["type"] = "未知事件分类"
    if errors:
        raise InvalidInput("筛选条件有误，请按提示修改", details=errors)
    return filters


def map_open_events(*, viewer: Any, filters: MapFilters, now: dt.datetime) -> QuerySet[Event]:
    """The open events `viewer` may see that match the map's filters."""
    events = visible_to(viewer).filter(status__in=OPEN)
    if filters.platform:
        events = events.filter(platform=filters.platform)
    if filters.type_code:
        # A major class (大类) selects its subclasses too, as in the queue.
        events = events.filter(
            Q(event_type__code=filters.type_code) | Q(event_type__parent__code=filters.type_code)
        )
    days = PERIOD_DAYS[filters.period]
    if days is not None:
        since = today_start(now) if days == 0 else now - dt.timedelta(days=days)
        events = events.filter(reported_at__gte=since)
    return events


def map_events_collection(*, viewer: Any, filters: MapFilters, crs: str, now: dt.datetime) -> dict[str, Any]:
    """Open events as a GeoJSON FeatureCollection of points, plus per-grid counts (two queries).

    Lean on purpose: properties are `id`, `n` (number), `t` (title, shortened), `s` (status) and `l` (light);
    the page knows the status labels and the event URL pattern. Foreign members: `grids` maps a grid id to
    [open, overdue] over all matching open events, located or not, for colouring the grid layer; `totals`
    counts them all, those outside any grid included.
    """
    events = map_open_events(viewer=viewer, filters=filters, now=now)
    red = light_q("red", now)
    grid_rows = list(
        events.values("grid_id").annotate(open=Count("pk"), overdue=Count("pk", filter=red)).order_by()
    )
    grids = {str(r["grid_id"]): [r["open"], r["overdue"]] for r in grid_rows if r["grid_id"] is not None}
    totals = {"open": sum(r["open"] for r in grid_rows), "overdue": sum(r["overdue"] for r in grid_rows)}
    point = display_point(crs)
    rows = list(
        events.filter(lon__isnull=False, lat__isnull=False)
        .order_by("-reported_at", "-id")
        .values_list("pk", "number", "title", "status", "overdue", "warn_at", "deadline", "lon", "lat")[
            : MAX_MARKERS + 1
        ]
    )
    truncated = len(rows) > MAX_MARKERS
    features = [_marker(row, point, now) for row in rows[:MAX_MARKERS]]
    return {
        "type": "FeatureCollection",
        "features": features,
        "grids": grids,
        "totals": totals,
        "truncated": truncated,
    }


def _marker(
    row: tuple[Any, ...], point: Callable[[float, float], list[float]], now: dt.datetime
) -> dict[str, Any]:
    pk, number, title, status, overdue, warn_at, deadline, lon, lat = row
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": point(lon, lat)},
        "properties": {
            "id": pk,
            "n": number or "",
            "t": title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…",
            "s": status,
            "l": light_of(overdue=overdue, warn_at=warn_at, deadline=deadline, now=now),
        },
    }


@dataclass(frozen=True)
class GridLayer:
    version: str  # changes whenever the grids in scope change: the ETag and the cache key
    body: str  # the GeoJSON text, ready to send


def map_grid_layer(*, viewer: Any, crs: str) -> GridLayer:
    """The viewer's grids as GeoJSON polygons, cached per territory, coordinate system and grid version.

    One query tells the version (count and last change of the grids in the territory); a miss costs one more.
    A renamed village shows after the cache entry expires (an hour); a changed grid shows at once.
    """
    prefix = map_region_prefix(viewer)
    grids = map_grids(prefix)
    if prefix is None:
        return GridLayer(version="none", body=json.dumps({"type": "FeatureCollection", "features": []}))
    stamp = grids.aggregate(n=Count("pk"), changed=Max("updated_at"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    raw = f"{prefix}|{crs}|{stamp['n']}|{changed}"
    version = hashlib.sha256(raw.encode()).hexdigest()[:20]
    key = f"dashboard:grids:{version}"
    body = cache.get(key)
    if body is None:
        body = _grid_layer_body(grids, crs)
        cache.set(key, body, GRID_CACHE_SECONDS)
    return GridLayer(version=version, body=body)


def _grid_layer_body(grids: QuerySet[Any], crs: str) -> str:
    point = display_point(crs)
    rows = grids.order_by("code").values_list(
        "pk", "code", "name", "village__name", "households", "boundary", "label_lon", "label_lat"
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": display_geometry(boundary, crs),
            "properties": {
                "id": pk,
                "code": code,
                "name": name,
                "village": village,
                "households": households,
                "label": point(label_lon, label_lat),
            },
        }
        for pk, code, name, village, households, boundary, label_lon, label_lat in rows
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )
