"""The base map's features as GeoJSON for the area a map shows (`GET /geo/basemap.geojson?bbox=w,s,e,n`).

Public, like the grid outlines of the public report page: roads, water and village boundaries are no secret, and
the public page draws them too.
"""

import math

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.http import require_GET

from grassroots.core.errors import InvalidInput

from .selectors import base_features_in

# Boxes are widened to this step, so maps panning nearby ask for (and cache) the same few boxes.
BBOX_STEP = 0.01
# A box wider or taller than this (degrees, about 100 km) is refused: a map zoomed out that far shows no roads.
BBOX_MAX_SPAN = 1.0


def basemap_bbox(text: str) -> tuple[float, float, float, float]:
    """`west,south,east,north` in degrees, widened outwards to BBOX_STEP; InvalidInput when unusable."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidInput("bbox 应为“西经度,南纬度,东经度,北纬度”四个数", code="bad_bbox") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or west >= east or south >= north:
        raise InvalidInput("bbox 的范围无效：应西小于东、南小于北", code="bad_bbox")
    if east - west > BBOX_MAX_SPAN or north - south > BBOX_MAX_SPAN:
        raise InvalidInput(f"bbox 过大：每边不超过 {BBOX_MAX_SPAN:g} 度", code="bbox_too_large")

    def down(v: float) -> float:
        return round(math.floor(round(v / BBOX_STEP, 6)) * BBOX_STEP, 4)

    def up(v: float) -> float:
        return round(math.ceil(round(v / BBOX_STEP, 6)) * BBOX_STEP, 4)

    return down(west), down(south), up(east), up(north)


@require_GET
def basemap_features(request: HttpRequest) -> HttpResponse:
    try:
        bbox = basemap_bbox(request.GET.get("bbox", ""))
    except InvalidInput as exc:
        return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
    layer = base_features_in(bbox=bbox)
    etag = f'"{layer.version}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(layer.body, content_type="application/geo+json; charset=utf-8", headers=headers)
