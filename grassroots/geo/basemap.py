"""What every map draws under its own data: the configured tile layers, or else the base-map features.

One place for the choice, so the command room's map, the event page, the leader's cockpit, the phone and the public
report page all look alike: `basemap_config()` goes to the page (the `basemap_assets` template tag) and
`static/js/basemap.js` draws it.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

WGS84 = "wgs84"
GCJ02 = "gcj02"
# 天地图 in Web Mercator ("_w"): the vector map and its annotation layer, on eight hosts t0–t7.
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU_LAYERS = ("vec", "cva")
TIANDITU_ATTRIBUTION = "天地图"
TIANDITU_MAX_ZOOM = 18
# The zoom levels from which the vector base map writes names, by feature kind and rank (1 most important).
LABEL_ZOOM = {
    "road": {"1": 12, "2": 13, "3": 15},
    "water": {"1": 12, "2": 13, "3": 15},
    "boundary": {"2": 9, "3": 12},
}
# Township names give way to village names from this zoom on.
TOWNSHIP_LABELS_UNTIL = 12


@dataclass(frozen=True)
class TileLayer:
    url: str  # a Leaflet URL template
    subdomains: str
    attribution: str
    max_zoom: int


def tile_crs() -> str:
    """The coordinate system the configured tiles are drawn in (天地图 is CGCS2000, which WGS-84 matches)."""
    if settings.TIANDITU_KEY:
        return WGS84
    return GCJ02 if str(settings.MAP_COORDINATES).lower() == GCJ02 else WGS84


def tile_layers() -> list[TileLayer]:
    """The configured tile layers, bottom first; none when no tile server is configured."""
    key = settings.TIANDITU_KEY
    if key:
        return [
            TileLayer(
                url=TIANDITU_URL.replace("{layer}", layer).replace("{key}", key),
                subdomains="01234567",
                attribution=TIANDITU_ATTRIBUTION,
                max_zoom=TIANDITU_MAX_ZOOM,
            )
            for layer in TIANDITU_LAYERS
        ]
    if settings.MAP_TILE_URL:
        return [
            TileLayer(
                url=settings.MAP_TILE_URL,
                subdomains=settings.MAP_TILE_SUBDOMAINS,
                attribution=settings.MAP_TILE_ATTRIBUTION,
                max_zoom=19,
            )
        ]
    return []


def basemap_config(*, crs: str = WGS84) -> dict[str, Any]:
    """The base layer of a map that draws its data in `crs`.

    Tiles in another coordinate system would put every point hundreds of metres off (and a tap on them would
    place a pin wrong), so such a map gets the vector base map instead.
    """
    tiles = tile_layers() if tile_crs() == crs else []
    return {
        "tiles": [asdict(layer) for layer in tiles],
        "featuresUrl": reverse("geo:basemap_features"),
        "labelZoom": LABEL_ZOOM,
        "townshipLabelsUntil": TOWNSHIP_LABELS_UNTIL,
    }
