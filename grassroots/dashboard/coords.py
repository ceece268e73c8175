"""Coordinates for display: we store WGS-84 (DOMAIN.md §3); AMap and Tencent tiles are drawn in GCJ-02.

When `settings.MAP_COORDINATES == "gcj02"` the map endpoints shift every point into GCJ-02 so markers and grid
outlines sit on the streets of those tiles. Stored data never changes. The transform is the published one
(China's "Mars" offset; same constants as the widely used coordtransform/eviltransform libraries); outside
mainland China it is the identity.
"""

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings

# Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm uses it.
_A = 6378245.0
_EE = 0.00669342162296594323
WGS84 = "wgs84"
GCJ02 = "gcj02"
# Lean payloads: six decimals is about 0.1 m, finer than any GPS fix from a phone.
DECIMALS = 6

Point = tuple[float, float]


def out_of_china(lon: float, lat: float) -> bool:
    """The rough box the offset applies to; Hong Kong, Macao and Taiwan inside it are not treated separately."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_offset(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _lon_offset(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon: float, lat: float) -> Point:
    """A WGS-84 longitude/latitude as GCJ-02 (unchanged outside China)."""
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = _lat_offset(lon - 105.0, lat - 35.0)
    d_lon = _lon_offset(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def display_crs() -> str:
    return GCJ02 if str(getattr(settings, "MAP_COORDINATES", WGS84)).lower() == GCJ02 else WGS84


def display_point(crs: str) -> Callable[[float, float], list[float]]:
    """A function from a stored WGS-84 point to the rounded [lon, lat] the map draws in `crs`."""
    if crs == GCJ02:

        def shifted(lon: float, lat: float) -> list[float]:
            x, y = wgs84_to_gcj02(lon, lat)
            return [round(x, DECIMALS), round(y, DECIMALS)]

        return shifted
    return lambda lon, lat: [round(lon, DECIMALS), round(lat, DECIMALS)]


def display_geometry(geometry: dict[str, Any], crs: str) -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon with every position shifted to `crs` and rounded."""
    point = display_point(crs)

    def ring(positions: list[list[float]]) -> list[list[float]]:
        return [point(p[0], p[1]) for p in positions]

    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in coordinates]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in polygon] for polygon in coordinates]}
