"""Demo geography: the district outline cut into townships, villages and grids by clipped Voronoi diagrams.

Each level is cut inside its parent; then every grid edge in the district is noded on a 1e-7° grid (snap rounding)
and polygonized again, so neighbouring grids share identical vertices, across village and township borders too:
the grids tile the district with no gaps and no overlaps.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon

from .names import DISTRICT_OUTLINE, TownshipSpec

GRID_SIZE = 1e-7  # about 1 cm
CANDIDATES = 12  # best-candidate sampling: more spreads seeds more evenly
Point = tuple[float, float]


@dataclass
class Layout:
    """Polygons in the order of the township specs, their villages and grid sequence numbers."""

    district: Polygon
    townships: list[Polygon]
    villages: list[list[Polygon]]
    grids: list[list[list[Polygon]]]  # noded: these are what grids store
    seats: list[Point]  # the township centres, where the base map puts the town streets


def district_outline() -> Polygon:
    hull = MultiPoint(DISTRICT_OUTLINE).convex_hull
    assert isinstance(hull, Polygon)
    return shapely.set_precision(hull, GRID_SIZE)


def lay_out(rng: random.Random, townships: Sequence[TownshipSpec]) -> Layout:
    district = district_outline()
    fixed = [spec.seat for spec in townships if spec.seat]
    extra = iter(_scatter(rng, district, len(townships) - len(fixed), existing=fixed))
    seats = [spec.seat or next(extra) for spec in townships]
    township_cells = _voronoi(district, seats)
    village_cells: list[list[Polygon]] = []
    grid_cells: list[list[list[Polygon]]] = []
    for spec, seat, township in zip(townships, seats, township_cells, strict=True):
        villages = _village_cells(rng, township, seat, [v.community for v in spec.villages])
        village_cells.append(villages)
        grid_cells.append(
            [_grid_cells(rng, village, v.grids) for v, village in zip(spec.villages, villages, strict=True)]
        )
    return Layout(district, township_cells, village_cells, _node_nested(grid_cells), seats)


def geojson(polygon: Polygon) -> dict[str, Any]:
    """A GeoJSON Polygon, exterior counter-clockwise (RFC 7946)."""
    oriented = shapely.orient_polygons(polygon)
    return {"type": "Polygon", "coordinates": [[[x, y] for x, y in oriented.exterior.coords]]}


def _village_cells(
    rng: random.Random, township: Polygon, seat: Point, communities: list[bool]
) -> list[Polygon]:
    """Communities crowd round the town centre, villages spread over the rest."""
    # Urban land is denser: a community covers about a third of a village's area.
    urban = sum(communities)
    share = urban / (urban + 3 * (len(communities) - urban))
    radius = math.sqrt(township.area * share / math.pi)
    seeds: list[Point] = []
    for community in communities:
        centre = (seat, radius) if community else None
        seeds.extend(_scatter(rng, township, 1, existing=seeds, near=centre))
    return _voronoi(township, seeds)


def _grid_cells(rng: random.Random, village: Polygon, count: int) -> list[Polygon]:
    cells = _voronoi(village, _scatter(rng, village, count), relax=2)
    # Number grids from north-west to south-east, as a map reader would.
    return sorted(cells, key=lambda c: (-round(c.centroid.y, 3), c.centroid.x))


def _scatter(
    rng: random.Random,
    polygon: Polygon,
    count: int,
    *,
    existing: Sequence[Point] = (),
    near: tuple[Point, float] | None = None,
) -> list[Point]:
    """`count` well-spread points inside `polygon` (best candidate of several), optionally within a disc."""
    chosen: list[Point] = []
    for _ in range(count):
        others = np.array([*existing, *chosen]).reshape(-1, 2)
        best, best_distance = None, -1.0
        for candidate in (_inside(rng, polygon, near) for _ in range(CANDIDATES)):
            distance = float(np.min(np.hypot(*(others - candidate).T))) if len(others) else 0.0
            if distance > best_distance:
                best, best_distance = candidate, distance
        assert best is not None
        chosen.append(best)
    return chosen


def _inside(rng: random.Random, polygon: Polygon, near: tuple[Point, float] | None) -> Point:
    min_x, min_y, max_x, max_y = polygon.bounds
    for attempt in range(1000):
        if near and attempt < 200:
            (cx, cy), radius = near
            angle, r = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.random())
            x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        else:
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shapely.contains_xy(polygon, x, y):
            return (x, y)
    raise ValueError("polygon too thin to place a point in")


def _voronoi(parent: Polygon, seeds: Sequence[Point], relax: int = 0) -> list[Polygon]:
    """The Voronoi cells of `seeds` clipped to the convex `parent`, after `relax` Lloyd steps."""
    if len(seeds) == 1:
        return [parent]
    for step in range(relax + 1):
        diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=parent, ordered=True)
        cells = [cell.intersection(parent) for cell in diagram.geoms]
        if step < relax:
            seeds = [(c.centroid.x, c.centroid.y) for c in cells]
    assert all(isinstance(c, Polygon) and not c.is_empty for c in cells)
    return cells


def _node_nested(grids: list[list[list[Polygon]]]) -> list[list[list[Polygon]]]:
    flat = [cell for township in grids for village in township for cell in village]
    noded = iter(node(flat))
    return [[[next(noded) for _ in village] for village in township] for township in grids]


def node(cells: Sequence[Polygon]) -> list[Polygon]:
    """The same tiling with shared vertices: the faces of all cell edges noded together, matched to their cells."""
    lines = shapely.union_all(shapely.boundary(np.array(cells, dtype=object)), grid_size=GRID_SIZE)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    if len(faces) != len(cells):
        raise ValueError(f"noding gave {len(faces)} faces for {len(cells)} cells")
    tree = shapely.STRtree(cells)
    face_idx, cell_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    if sorted(cell_idx.tolist()) != list(range(len(cells))) or len(face_idx) != len(faces):
        raise ValueError("noded faces do not match the cells one to one")
    result: list[Polygon | None] = [None] * len(cells)
    for f, c in zip(face_idx.tolist(), cell_idx.tolist(), strict=True):
        result[c] = shapely.orient_polygons(faces[f])
    return [face for face in result if face is not None]
