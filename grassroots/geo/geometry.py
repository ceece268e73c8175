"""Grid boundaries and base-map features: GeoJSON in, shapely geometry, the checks a boundary must pass and the
fields stored beside them."""

import math
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# Plausible longitude/latitude for anything in China; a point outside is a typo, swapped axes or projected metres.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
# Metres per degree of latitude on the mean Earth radius (6,371,008.8 m).
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
BOUNDARY_TYPES = ("Polygon", "MultiPolygon")

# GEOS explains invalid geometry in English ("Self-intersection[120.1 30.2]"); users read Chinese.
_GEOS_REASONS = {
    "Ring Self-intersection": "边界环自相交",
    "Self-intersection": "边界自相交",
    "Too few points in geometry component": "边界点数过少",
    "Hole lies outside shell": "内环（洞）不在外环之内",
    "Holes are nested": "内环相互嵌套",
    "Interior is disconnected": "内部被内环分割成不相连的部分",
    "Nested shells": "多个面相互嵌套",
    "Duplicate Rings": "存在重复的环",
    "Invalid Coordinate": "坐标无效",
}


def boundary_shape(boundary: dict[str, Any]) -> BaseGeometry:
    return shape(boundary)


def boundary_fields(boundary: dict[str, Any]) -> dict[str, float]:
    """The bounding box and a label point kept on `Grid` next to its boundary."""
    geom = boundary_shape(boundary)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    label = geom.representative_point()
    return {
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "label_lon": label.x,
        "label_lat": label.y,
    }


def feature_fields(geometry: dict[str, Any]) -> dict[str, float]:
    """The bounding box, label point and label angle kept on `BaseFeature` next to its geometry.

    A line is labelled halfway along its longest part, with the text turned along it and never upside down;
    an area at a point inside it.
    """
    geom = shape(geometry)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    angle = 0.0
    if geom.geom_type in ("LineString", "MultiLineString"):
        line = max(shapely.get_parts(geom), key=lambda part: part.length)
        label = line.interpolate(0.5, normalized=True)
        before = line.interpolate(max(0.0, line.project(label) - line.length * 0.05))
        after = line.interpolate(min(line.length, line.project(label) + line.length * 0.05))
        # Degrees of longitude are shorter than degrees of latitude away from the equator.
        dx = (after.x - before.x) * math.cos(math.radians(label.y))
        dy = after.y - before.y
        angle = math.degrees(math.atan2(dy, dx)) if dx or dy else 0.0
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
    else:
        label = geom.representative_point()
    return {
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "label_lon": label.x,
        "label_lat": label.y,
        "label_angle": round(angle, 1),
    }


def boundary_errors(boundary: Any) -> list[str]:
    """Every problem with a grid boundary (GeoJSON Polygon/MultiPolygon in lon/lat), in Chinese, or an empty list.

    The structure is checked by hand before shapely sees it: shapely silently closes an unclosed ring and
    would hide the mistake.
    """
    if not isinstance(boundary, dict):
        return ["边界应为 GeoJSON 几何对象"]
    kind = boundary.get("type")
    if kind not in BOUNDARY_TYPES:
        return [f"边界类型为“{kind}”，应为 Polygon 或 MultiPolygon"]
    coordinates = boundary.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return ["边界缺少坐标"]
    errors: list[str] = []
    for p, polygon in enumerate(polygons, start=1):
        where = f"第 {p} 个面" if kind == "MultiPolygon" else ""
        if not isinstance(polygon, list) or not polygon:
            errors.append(f"边界{where}缺少坐标环")
            continue
        for r, ring in enumerate(polygon, start=1):
            errors.extend(_ring_errors(ring, f"边界{where}第 {r} 个环"))
    if errors:
        return errors
    geom = shape(boundary)
    if not geom.is_valid:
        return [_validity_message(shapely.is_valid_reason(geom))]
    if geom.area == 0:
        return ["边界面积为零"]
    return _extent_errors(geom)


def boundary_normalised(boundary: dict[str, Any]) -> dict[str, Any]:
    """Only `type` and 2-D `coordinates` as float lists: what we store, whatever the source added (crs, bbox, z)."""
    coordinates = boundary["coordinates"]
    polygons = [coordinates] if boundary["type"] == "Polygon" else coordinates
    clean = [[[[float(pos[0]), float(pos[1])] for pos in ring] for ring in polygon] for polygon in polygons]
    return {"type": boundary["type"], "coordinates": clean[0] if boundary["type"] == "Polygon" else clean}


def area_m2(geom: BaseGeometry) -> float:
    """Approximate area in square metres of a small lon/lat geometry (equirectangular at its own latitude)."""
    if geom.is_empty:
        return 0.0
    lat = geom.centroid.y
    return float(geom.area) * METRES_PER_DEGREE**2 * math.cos(math.radians(lat))


def _ring_errors(ring: Any, where: str) -> list[str]:
    if not isinstance(ring, list):
        return [f"{where}格式错误，应为坐标数组"]
    for position in ring:
        if not isinstance(position, list | tuple) or len(position) < 2:
            return [f"{where}含有格式错误的坐标 {position!r}，应为 [经度, 纬度]"]
        if not all(_is_number(value) for value in position[:2]):
            return [f"{where}含有非数字坐标 {_position_text(position)}"]
    if len(ring) < 4:
        return [f"{where}只有 {len(ring)} 个点，至少需要 4 个（首尾相同）"]
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return [f"{where}未闭合：首点 {_position_text(ring[0])} 与末点 {_position_text(ring[-1])} 不同"]
    return []


def _position_text(position: Any) -> str:
    # 10 significant digits: enough for 1 cm, and no 30.950000000000003 noise in messages.
    return "[" + ", ".join(f"{v:.10g}" if _is_number(v) else repr(v) for v in position[:2]) + "]"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _validity_message(reason: str) -> str:
    label, _, place = reason.partition("[")
    text = _GEOS_REASONS.get(label.strip(), f"边界几何无效（{label.strip()}）")
    if place:
        lon, _, lat = place.rstrip("]").partition(" ")
        text += f"，位置约在经度 {lon}、纬度 {lat}"
    return text


def _extent_errors(geom: BaseGeometry) -> list[str]:
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    lon_ok = CHINA_LON[0] <= min_lon and max_lon <= CHINA_LON[1]
    lat_ok = CHINA_LAT[0] <= min_lat and max_lat <= CHINA_LAT[1]
    if lon_ok and lat_ok:
        return []
    message = (
        f"边界坐标超出中国范围（经度 {CHINA_LON[0]:g}–{CHINA_LON[1]:g}，纬度 {CHINA_LAT[0]:g}–{CHINA_LAT[1]:g}）："
        f"经度 {min_lon:g}–{max_lon:g}，纬度 {min_lat:g}–{max_lat:g}"
    )
    swapped = CHINA_LON[0] <= min_lat and max_lat <= CHINA_LON[1] and CHINA_LAT[0] <= min_lon
    if swapped and max_lon <= CHINA_LAT[1]:
        message += "；经纬度可能写反了（应为 [经度, 纬度]）"
    return [message]
