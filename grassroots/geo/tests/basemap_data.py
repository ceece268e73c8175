"""Base-map features around the shared `world` (grids A and B: 0.01° squares at 120.88 and 120.89, 30.94)."""

from typing import Any

from grassroots.geo.choices import BaseFeatureKind
from grassroots.geo.geometry import feature_fields
from grassroots.geo.models import BaseFeature, Division


def make_base_feature(
    kind: str, name: str, geometry: dict[str, Any], *, rank: int = 2, division: Division | None = None
) -> BaseFeature:
    return BaseFeature.objects.create(
        kind=kind, name=name, rank=rank, division=division, geometry=geometry, **feature_fields(geometry)
    )


def line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def ring(lon: float, lat: float, size: float) -> dict[str, Any]:
    corners = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [corners]}


def world_base_map(world: Any) -> list[BaseFeature]:
    """Two roads and a river across both grids, a pond in grid A, both villages' boundaries, and a road far away."""
    return [
        make_base_feature(
            BaseFeatureKind.ROAD, "塘东公路", line((120.875, 30.945), (120.905, 30.946)), rank=2
        ),
        make_base_feature(BaseFeatureKind.ROAD, "红菱路", line((120.885, 30.935), (120.886, 30.955)), rank=3),
        make_base_feature(
            BaseFeatureKind.WATER, "红旗塘", line((120.875, 30.942), (120.905, 30.943)), rank=1
        ),
        make_base_feature(BaseFeatureKind.WATER, "荷花荡", ring(120.882, 30.947, 0.002), rank=1),
        make_base_feature(
            BaseFeatureKind.BOUNDARY, "红菱村", ring(120.88, 30.94, 0.01), rank=3, division=world.village_a
        ),
        make_base_feature(
            BaseFeatureKind.BOUNDARY, "鸦鹊村", ring(120.89, 30.94, 0.01), rank=3, division=world.village_b
        ),
        make_base_feature(BaseFeatureKind.ROAD, "远方公路", line((121.5, 31.5), (121.6, 31.6)), rank=2),
    ]
