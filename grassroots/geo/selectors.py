"""Reads of the geography: what hot paths repeat (a grid's code and a division's name by id, memoised per
process) and the base-map features of an area."""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from grassroots.core.refcache import reference_cached

from .models import BaseFeature, Division, Grid

# A changed feature shows at once (the version changes); this only bounds how long unused boxes stay cached.
BASEMAP_CACHE_SECONDS = 3600


@reference_cached(Grid)
def grid_brief(pk: int) -> Grid | None:
    """The grid with only its code and village loaded (enough to name it)."""
    return Grid.objects.only("id", "code", "name", "village_id").filter(pk=pk).first()


@reference_cached(Division)
def division_brief(pk: int) -> Division | None:
    """The division with only its code, name and kind loaded (enough to name it)."""
    return Division.objects.only("id", "code", "name", "kind", "level", "parent_id").filter(pk=pk).first()


@dataclass(frozen=True)
class BaseLayer:
    version: str  # the ETag: changes when any base-map feature changes or the box differs
    body: str  # the GeoJSON text, ready to send


def base_features_in(*, bbox: tuple[float, float, float, float]) -> BaseLayer:
    """The base-map features that touch `bbox` (west, south, east, north) as GeoJSON, cached per box and version.

    One query tells the version (count and last change of all features); a miss costs one more. Callers snap the
    box (see `basemap_bbox`) so that nearby views share cache entries.
    """
    stamp = BaseFeature.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    raw = f"{stamp['n']}|{changed}|" + ",".join(f"{v:.4f}" for v in bbox)
    version = hashlib.sha256(raw.encode()).hexdigest()[:20]
    key = f"geo:basemap:{version}"
    body = cache.get(key)
    if body is None:
        body = _base_layer_body(bbox)
        cache.set(key, body, BASEMAP_CACHE_SECONDS)
    return BaseLayer(version=version, body=body)


def _base_layer_body(bbox: tuple[float, float, float, float]) -> str:
    west, south, east, north = bbox
    rows = (
        BaseFeature.objects.filter(
            min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south
        )
        .order_by("kind", "-rank", "id")
        .values_list("kind", "name", "rank", "geometry", "label_lon", "label_lat", "label_angle")
    )
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "kind": kind,
                "name": name,
                "rank": rank,
                "label": [round(label_lon, 6), round(label_lat, 6)],
                "angle": angle,
            },
        }
        for kind, name, rank, geometry, label_lon, label_lat, angle in rows
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )
