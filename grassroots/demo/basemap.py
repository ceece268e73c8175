"""The demo district's base map: roads, rivers and lakes, township and village boundaries.

Drawn under the grid outlines when no tile server is configured, so the demo reads like a map of a Jiangnan water
town: two trunk roads and a few named rivers cross the district, lakes (荡) lie between the towns, township roads
join the town centres, each town has a few streets and each village a road out to the network. Shapes are drawn
from their own random stream, so the same seed gives the same map.
"""

import itertools
import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from grassroots.geo.choices import BaseFeatureKind
from grassroots.geo.geometry import feature_fields
from grassroots.geo.models import BaseFeature, Division

from .geometry import Layout, Point
from .places import Places

# Lines across the district, as fractions of its bounding box (x west→east, y south→north): name, rank, points.
TRUNK_ROADS = (
    ("沪杭高速", 1, ((1.05, 0.62), (0.7, 0.5), (0.35, 0.33), (-0.05, 0.22))),
    ("320国道", 1, ((-0.05, 0.2), (0.4, 0.17), (0.75, 0.3), (1.05, 0.28))),
)
RIVERS = (
    ("红旗塘", 1, ((-0.05, 0.55), (0.3, 0.6), (0.6, 0.52), (1.05, 0.6))),
    ("芦墟塘", 2, ((0.28, 1.05), (0.33, 0.75), (0.25, 0.45), (0.3, -0.05))),
    ("嘉善塘", 2, ((0.55, -0.05), (0.6, 0.25), (0.72, 0.45), (0.7, 1.05))),
)
# Lakes: name, centre (fractions as above), radius in degrees of latitude.
LAKES = (("汾湖", (0.2, 0.9), 0.012), ("祥符荡", (0.55, 0.8), 0.008), ("长白荡", (0.85, 0.72), 0.01))
# A town's streets: name suffix, axis, and the street's centre from the town centre across and along it (degrees).
STREETS = (
    ("大道", "x", 0.0, 0.0),
    ("中路", "y", 0.0, 0.004),
    ("北路", "x", 0.004, -0.002),
    ("南路", "x", -0.004, 0.002),
    ("东路", "y", 0.005, -0.003),
)
STREET_HALF_LENGTH = 0.009
CREEKS_PER_TOWNSHIP = 3
DECIMALS = 6


def basemap_features(rng: random.Random, places: Places, layout: Layout) -> list[BaseFeature]:
    """The base-map rows of a freshly built district (not saved)."""
    area = layout.district
    district = places.district
    rows: list[BaseFeature] = []
    for name, rank, points in RIVERS:
        rows += _rows(BaseFeatureKind.WATER, name, rank, district, _meander(rng, area, points), area)
    for name, (fx, fy), radius in LAKES:
        rows += _rows(BaseFeatureKind.WATER, name, 1, district, _lake(rng, _at(area, fx, fy), radius), area)
    trunk = [_meander(rng, area, points, wiggle=0.15) for _, _, points in TRUNK_ROADS]
    for (name, rank, _), line in zip(TRUNK_ROADS, trunk, strict=True):
        rows += _rows(BaseFeatureKind.ROAD, name, rank, district, line, area)
    shorts = [spec.short for spec in places.specs]
    for a, b in _neighbours(layout.seats):
        line = _wavy(rng, layout.seats[a], layout.seats[b])
        trunk.append(line)
        name = f"{shorts[a][0]}{shorts[b][0]}公路"
        rows += _rows(BaseFeatureKind.ROAD, name, 2, district, line, area)
    network = shapely.union_all(trunk)
    for township, seat, spec, outline in zip(
        places.townships, layout.seats, places.specs, layout.townships, strict=True
    ):
        rows += _rows(BaseFeatureKind.BOUNDARY, township.name, 2, township, outline, area)
        angle = rng.uniform(-0.3, 0.3)
        for suffix, axis, across, along in STREETS:
            street = _street(seat, angle, axis, across, along)
            rows += _rows(BaseFeatureKind.ROAD, spec.short + suffix, 3, township, street, outline)
        for n in range(CREEKS_PER_TOWNSHIP):
            creek = _creek(rng, outline)
            name = f"{spec.short[-1]}{'东西南北'[n % 4]}浜"
            rows += _rows(BaseFeatureKind.WATER, name, 3, township, creek, outline)
        villages = places.villages[township.code]
        outlines = _village_outlines(places, township)
        for village, polygon in zip(villages, outlines, strict=True):
            rows += _rows(BaseFeatureKind.BOUNDARY, village.name, 3, village, polygon, area)
        centres = [(p.x, p.y) for p in (polygon.representative_point() for polygon in outlines)]
        for v, (start, end) in _village_links(centres, seat, network):
            road = _wavy(rng, start, end, parts=2)
            rows += _rows(BaseFeatureKind.ROAD, _road_name(villages[v].name), 3, villages[v], road, area)
    return rows


def _village_links(
    centres: Sequence[Point], seat: Point, network: BaseGeometry
) -> list[tuple[int, tuple[Point, Point]]]:
    """Village roads: each village joined to the nearest place already connected (the town, a trunk or township
    road, or a village joined before it), nearest first, like a minimum spanning tree; so roads branch out
    instead of all meeting in town."""
    on_road = [nearest_points(shapely.Point(x, y), network)[1] for x, y in centres]
    joined: list[Point] = [seat]
    links: list[tuple[int, tuple[Point, Point]]] = []
    left = list(range(len(centres)))
    while left:
        best: tuple[float, int, Point] | None = None
        for v in left:
            x, y = centres[v]
            for target in [*joined, (on_road[v].x, on_road[v].y)]:
                d = math.hypot(x - target[0], y - target[1])
                if best is None or d < best[0]:
                    best = (d, v, target)
        assert best is not None
        _, v, target = best
        links.append((v, (centres[v], target)))
        joined.append(centres[v])
        left.remove(v)
    return links


def _village_outlines(places: Places, township: Division) -> list[Polygon]:
    return [places.outlines[village.code] for village in places.villages[township.code]]


def _road_name(village: str) -> str:
    stem = village.removesuffix("社区").removesuffix("村")
    return stem if stem.endswith("路") else f"{stem}路"


def _rows(
    kind: str, name: str, rank: int, division: Division, geom: BaseGeometry, clip: Polygon
) -> list[BaseFeature]:
    """One row for `geom` cut to `clip`, or none when nothing of it lies inside."""
    inside = geom.intersection(clip) if kind != BaseFeatureKind.BOUNDARY else geom
    if inside.is_empty or inside.geom_type not in _KEPT:
        return []
    geometry = _rounded(mapping(inside))
    return [
        BaseFeature(
            kind=kind, name=name, rank=rank, division=division, geometry=geometry, **feature_fields(geometry)
        )
    ]


_KEPT = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, tuple | list) and value and isinstance(value[0], float | int):
            return [round(float(v), DECIMALS) for v in value[:2]]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _at(area: Polygon, fx: float, fy: float) -> Point:
    min_x, min_y, max_x, max_y = area.bounds
    return (min_x + fx * (max_x - min_x), min_y + fy * (max_y - min_y))


def _meander(rng: random.Random, area: Polygon, points: Sequence[Point], wiggle: float = 0.5) -> LineString:
    """A line through `points` (fractions of the district's box) that bends gently between them."""
    placed = [_at(area, fx, fy) for fx, fy in points]
    path: list[Point] = [placed[0]]
    for a, b in itertools.pairwise(placed):
        path += _bends(rng, a, b, parts=6, wiggle=wiggle)[1:]
    return LineString(path)


def _wavy(rng: random.Random, a: Point, b: Point, parts: int = 4) -> LineString:
    return LineString(_bends(rng, a, b, parts=parts, wiggle=0.25))


def _bends(rng: random.Random, a: Point, b: Point, *, parts: int, wiggle: float) -> list[Point]:
    """Points from a to b, each pushed sideways by a smooth random amount (a sine with a random phase)."""
    (ax, ay), (bx, by) = a, b
    length = math.hypot(bx - ax, by - ay) or 1e-9
    nx, ny = -(by - ay) / length, (bx - ax) / length
    phase, amplitude = rng.uniform(0, 2 * math.pi), rng.uniform(0.02, 0.06) * wiggle * length * 4
    out = []
    for i in range(parts + 1):
        t = i / parts
        side = (
            0.0 if i in (0, parts) else amplitude * math.sin(phase + t * 2 * math.pi) * math.sin(t * math.pi)
        )
        out.append((ax + (bx - ax) * t + nx * side, ay + (by - ay) * t + ny * side))
    return out


def _lake(rng: random.Random, centre: Point, radius: float) -> Polygon:
    """An irregular oval: a ring of points at a smoothly varying distance from the centre."""
    cx, cy = centre
    stretch = rng.uniform(1.2, 1.8)
    turn = rng.uniform(0, math.pi)
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    ring = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        r = radius * (1 + 0.12 * sum(math.sin(k * t + p) for k, p in zip((2, 3, 5), phases, strict=True)))
        x, y = r * stretch * math.cos(t), r * math.sin(t)
        # Longitude degrees are shorter: widen x so the lake is round on the ground, not on the grid.
        ring.append(
            (
                cx + (x * math.cos(turn) - y * math.sin(turn)) / math.cos(math.radians(cy)),
                cy + x * math.sin(turn) + y * math.cos(turn),
            )
        )
    return Polygon(ring).buffer(0)


def _street(seat: Point, angle: float, axis: str, across: float, along: float) -> LineString:
    """A straight street through (or beside) the town centre, along the town's slightly turned axes; shifted along
    its length too, so that crossing streets do not put their names on the same spot."""
    ux, uy = math.cos(angle), math.sin(angle)
    if axis == "y":
        ux, uy = -uy, ux
    sx, sy = seat[0] - uy * across + ux * along, seat[1] + ux * across + uy * along
    h = STREET_HALF_LENGTH
    return LineString([(sx - ux * h, sy - uy * h), (sx + ux * h, sy + uy * h)])


def _creek(rng: random.Random, outline: Polygon) -> LineString:
    """A short crooked waterway (浜) somewhere in the township."""
    min_x, min_y, max_x, max_y = outline.bounds
    for _ in range(100):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shapely.contains_xy(outline, x, y):
            break
    heading, length = rng.uniform(0, 2 * math.pi), rng.uniform(0.006, 0.014)
    end = (x + length * math.cos(heading), y + length * math.sin(heading))
    return LineString(_bends(rng, (x, y), end, parts=5, wiggle=0.6))


def _neighbours(seats: Sequence[Point]) -> Iterable[tuple[int, int]]:
    """Each town joined to its two nearest towns, every pair once, in a stable order."""
    pairs: list[tuple[int, int]] = []
    for i, (x, y) in enumerate(seats):
        others = sorted((math.hypot(x - ox, y - oy), j) for j, (ox, oy) in enumerate(seats) if j != i)
        for _, j in others[:2]:
            pair = (min(i, j), max(i, j))
            if pair not in pairs:
                pairs.append(pair)
    return pairs
