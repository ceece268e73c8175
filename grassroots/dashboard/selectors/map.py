"""The command room's map: the open events as GeoJSON points with per-grid counts, and the grid layer (cached)."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from grassroots.core.errors import InvalidInput
from grassroots.events.models import Event, EventType
from grassroots.events.permissions import visible_to
from grassroots.events.selectors import light_of, light_q
from grassroots.org.choices import PlatformKind

from ..coords import display_geometry, display_point
from ..permissions import map_grids, map_region_prefix
from .common import OPEN, today_start

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
