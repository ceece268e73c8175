"""Grid boundaries: GeoJSON in, shapely geometry and the derived fields stored beside the boundary."""

from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


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
