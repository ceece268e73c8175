"""Which grid a GPS point is in (DOMAIN.md §3): an STRtree over every grid boundary, cached per process.

Lookups happen on every reported event and every patrol track point, so the index lives in memory and is
rebuilt only when grids change: at once in this process (signals, see apps.py) and within
`REFRESH_SECONDS` when another process changed them (a cheap count/latest-change query).
"""

import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Count, Max
from shapely.geometry.base import BaseGeometry

from .codes import district_of, township_of
from .geometry import METRES_PER_DEGREE, boundary_shape
from .models import Grid

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Location:
    """Where a point is: its grid and the divisions above it, or the nearest grid when it is in none."""

    grid_id: int
    grid_code: str
    village_code: str  # 12 digits
    township_code: str  # 9
    district_code: str  # 6
    inside: bool
    distance_m: float  # 0 inside; otherwise to the nearest grid's edge
    village_id: int | None = None  # row ids, so callers need no query to link the divisions
    township_id: int | None = None


@dataclass(frozen=True, slots=True)
class GridEntry:
    """What the index needs of one grid."""

    grid_id: int
    grid_code: str
    village_code: str
    boundary: BaseGeometry
    village_id: int | None = None
    township_id: int | None = None


class GridIndex:
    """An immutable lookup structure over a set of grid boundaries (WGS-84 lon/lat)."""

    def __init__(self, entries: Iterable[GridEntry]) -> None:
        # Sorted by code, so "the lowest index" means "the lowest code": a point on an edge shared by two
        # grids always goes to the same one.
        kept = sorted((e for e in entries if not e.boundary.is_empty), key=lambda e: e.grid_code)
        self._found = [
            Location(
                grid_id=e.grid_id,
                grid_code=e.grid_code,
                village_code=e.village_code,
                township_code=township_of(e.village_code),
                district_code=district_of(e.village_code),
                inside=True,
                distance_m=0.0,
                village_id=e.village_id,
                township_id=e.township_id,
            )
            for e in kept
        ]
        self._geoms = np.array([e.boundary for e in kept], dtype=object)
        # Prepared polygons make the point-in-polygon tests (intersects_xy) several times faster.
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)
        # Distances are measured in a local equirectangular projection centred on the grids: x = Δlon·cos(lat₀),
        # y = Δlat, in metres. Across a district (well under 1° of latitude) the error is a fraction of a
        # percent; it grows for a province-sized index, where "nearest" may pick a grid a little off.
        # Containment is still tested in lon/lat so a point exactly on an edge stays exactly on it.
        if kept:
            min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(self._geoms)
            self._origin = ((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
        else:
            self._origin = (0.0, 0.0)
        self._scale = (METRES_PER_DEGREE * math.cos(math.radians(self._origin[1])), METRES_PER_DEGREE)
        self._geoms_m = shapely.transform(self._geoms, self._project_coords)
        self._tree_m = shapely.STRtree(self._geoms_m)

    @classmethod
    def from_database(cls) -> "GridIndex":
        entries = []
        rows = Grid.objects.order_by().values_list(
            "id", "code", "village__code", "boundary", "village_id", "village__parent_id"
        )
        for grid_id, code, village_code, boundary, village_id, township_id in rows.iterator(chunk_size=2000):
            try:
                geom = boundary_shape(boundary)
            except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
                logger.warning("grid %s has an unreadable boundary; it is left out of the index", code)
                continue
            if not geom.is_valid:
                logger.warning("grid %s has an invalid boundary (%s)", code, shapely.is_valid_reason(geom))
                geom = shapely.make_valid(geom)
            entries.append(
                GridEntry(
                    grid_id=grid_id,
                    grid_code=code,
                    village_code=village_code,
                    boundary=geom,
                    village_id=village_id,
                    township_id=township_id,
                )
            )
        return cls(entries)

    def __len__(self) -> int:
        return len(self._found)

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """(min lon, min lat, max lon, max lat) of all grids, or None for an empty index."""
        if not self._found:
            return None
        min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(self._geoms).tolist()
        return min_lon, min_lat, max_lon, max_lat

    def locate(self, lon: float, lat: float) -> Location | None:
        """The grid containing the point (inside or on its edge), else the nearest one; None if there are none."""
        if not math.isfinite(lon) or not math.isfinite(lat):
            raise ValueError(f"coordinates must be finite numbers, got ({lon}, {lat})")
        if not self._found:
            return None
        # shapely.points((x, y)) rather than Point(x, y): half the cost, and it is most of a lookup.
        candidates = self._tree.query(shapely.points((lon, lat)))
        if candidates.size:
            hits = candidates[shapely.intersects_xy(self._geoms[candidates], lon, lat)]
            if hits.size:
                return self._found[int(hits.min())]
        x = (lon - self._origin[0]) * self._scale[0]
        y = (lat - self._origin[1]) * self._scale[1]
        nearest, distances = self._tree_m.query_nearest(
            shapely.points((x, y)), return_distance=True, all_matches=True
        )
        best = int(np.argmin(nearest))  # equally near grids: the lowest code
        return self._outside(int(nearest[best]), float(distances[best]))

    def locate_many(
        self, lons: Sequence[float] | np.ndarray, lats: Sequence[float] | np.ndarray
    ) -> list[Location | None]:
        """`locate` for many points at once, vectorised; the answers come back in the order of the points."""
        lon_array = np.asarray(lons, dtype=float)
        lat_array = np.asarray(lats, dtype=float)
        if lon_array.shape != lat_array.shape or lon_array.ndim != 1:
            raise ValueError("lons and lats must be one-dimensional and of the same length")
        if not (np.isfinite(lon_array).all() and np.isfinite(lat_array).all()):
            raise ValueError("coordinates must be finite numbers")
        count = lon_array.size
        if not self._found:
            return [None] * count
        none = len(self._found)
        points, grids = self._tree.query(shapely.points(lon_array, lat_array))
        hit = shapely.intersects_xy(self._geoms[grids], lon_array[points], lat_array[points])
        best = np.full(count, none)
        np.minimum.at(best, points[hit], grids[hit])
        results: list[Location | None] = [None if k == none else self._found[k] for k in best.tolist()]

        outside = np.flatnonzero(best == none)
        if outside.size:
            x, y = self._project(lon_array[outside], lat_array[outside])
            (which, nearest), distances = self._tree_m.query_nearest(
                shapely.points(x, y), return_distance=True, all_matches=True
            )
            # Equally near grids: keep the lowest code, as locate() does.
            order = np.lexsort((nearest, which))
            which, nearest, distances = which[order], nearest[order], distances[order]
            _, first = np.unique(which, return_index=True)
            for k, grid, distance in zip(
                outside[which[first]].tolist(),
                nearest[first].tolist(),
                distances[first].tolist(),
                strict=True,
            ):
                results[k] = self._outside(grid, distance)
        return results

    def _outside(self, k: int, distance_m: float) -> Location:
        # Spelled out: dataclasses.replace() costs several times more, and bulk lookups make many of these.
        found = self._found[k]
        return Location(
            found.grid_id,
            found.grid_code,
            found.village_code,
            found.township_code,
            found.district_code,
            False,
            distance_m,
            found.village_id,
            found.township_id,
        )

    def _project(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (lons - self._origin[0]) * self._scale[0], (lats - self._origin[1]) * self._scale[1]

    def _project_coords(self, coords: np.ndarray) -> np.ndarray:
        x, y = self._project(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))


@dataclass
class _Cached:
    index: GridIndex
    generation: int
    stamp: tuple[int, object]
    checked_at: float


_lock = threading.Lock()
_cached: _Cached | None = None
# Bumped whenever a grid is saved or deleted in this process; a cached index of an older generation is stale.
_generation = 0


def grid_index() -> GridIndex:
    """The process-wide index, rebuilt when grids have changed here or (checked every few seconds) elsewhere.

    Changes made with `QuerySet.update()` bypass both signals and `updated_at`: call `grid_index_invalidate()`.
    An index rebuilt inside an open transaction holds its uncommitted grids; if that transaction rolls back,
    the count/latest-change check corrects it within `REFRESH_SECONDS`.
    """
    global _cached
    cached = _cached
    fresh = cached is not None and time.monotonic() - cached.checked_at < REFRESH_SECONDS
    if cached is not None and fresh and cached.generation == _generation:
        return cached.index
    with _lock:
        cached = _cached
        generation = _generation
        stamp = _stamp()
        if cached is not None and cached.generation == generation and cached.stamp == stamp:
            cached.checked_at = time.monotonic()
            return cached.index
        # The stamp is read before the grids: a change landing in between makes the next check rebuild again.
        index = GridIndex.from_database()
        _cached = _Cached(index=index, generation=generation, stamp=stamp, checked_at=time.monotonic())
        return index


def grid_index_invalidate() -> None:
    global _generation
    _generation += 1


def grid_changed(sender: type[Grid], **kwargs: object) -> None:
    """post_save/post_delete receiver: stale now, and again at commit so other threads see the committed grids."""
    grid_index_invalidate()
    transaction.on_commit(grid_index_invalidate)


def locate_point(lon: float, lat: float) -> Location | None:
    return grid_index().locate(lon, lat)


def _stamp() -> tuple[int, object]:
    summary = Grid.objects.order_by().aggregate(count=Count("id"), latest=Max("updated_at"))
    return summary["count"], summary["latest"]
