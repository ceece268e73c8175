"""How fast a GPS point is assigned to its grid: scalar locate() and vectorised locate_many() (no pass/fail).

Uses the grids of the current database (load the demo district first); with none it tiles 20×20 synthetic
rectangles in memory and touches nothing. Run with `.venv/bin/python bench/bench_geo.py [--points N] [--seed N]`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import DatabaseError  # noqa: E402

from grassroots.geo.index import GridEntry, GridIndex  # noqa: E402

# Synthetic tiling: 20×20 cells of roughly 500 m × 550 m near 嘉善县, wobbly edges of 40 vertices each.
SYNTHETIC_SIDE = 20
SYNTHETIC_ORIGIN = (120.80, 30.85)
SYNTHETIC_CELL = (0.005, 0.005)


def synthetic_index() -> GridIndex:
    entries = []
    lon0, lat0 = SYNTHETIC_ORIGIN
    width, height = SYNTHETIC_CELL
    for i in range(SYNTHETIC_SIDE):
        for j in range(SYNTHETIC_SIDE):
            cell = shapely.box(
                lon0 + i * width, lat0 + j * height, lon0 + (i + 1) * width, lat0 + (j + 1) * height
            )
            # Real boundaries have many vertices; point-in-polygon cost grows with them.
            cell = shapely.segmentize(cell, width / 10)
            village = f"330421102{200 + i:03d}"
            entries.append(
                GridEntry(
                    grid_id=i * SYNTHETIC_SIDE + j + 1,
                    grid_code=f"{village}{j + 1:02d}",
                    village_code=village,
                    boundary=cell,
                )
            )
    return GridIndex(entries)


def report(label: str, count: int, seconds: float) -> None:
    print(f"{label:<36} {count:>9,} in {seconds:7.3f} s = {count / seconds:>12,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()

    synthetic = f"synthetic {SYNTHETIC_SIDE}×{SYNTHETIC_SIDE} tiling in memory, database untouched"
    started = time.perf_counter()
    try:
        index = GridIndex.from_database()
        source = "database"
    except DatabaseError as exc:
        index, source = GridIndex([]), f"database unreadable ({exc})"
    if len(index) == 0:
        started = time.perf_counter()
        index = synthetic_index()
        source = (
            f"no grids in the database: {synthetic}" if source == "database" else f"{source}: {synthetic}"
        )
    built = time.perf_counter() - started
    print(f"grids: {len(index):,} ({source}); index built in {built:.3f} s")

    assert index.bounds is not None
    min_lon, min_lat, max_lon, max_lat = index.bounds
    print(f"bounding box: lon {min_lon:.4f}–{max_lon:.4f}, lat {min_lat:.4f}–{max_lat:.4f}")
    rng = np.random.default_rng(args.seed)
    lons = rng.uniform(min_lon, max_lon, args.points)
    lats = rng.uniform(min_lat, max_lat, args.points)

    started = time.perf_counter()
    singles = [index.locate(lon, lat) for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True)]
    report("locate() one point at a time", args.points, time.perf_counter() - started)

    started = time.perf_counter()
    many = index.locate_many(lons, lats)
    report("locate_many() all points at once", args.points, time.perf_counter() - started)

    inside = sum(1 for location in many if location is not None and location.inside)
    print(f"inside a grid: {inside / args.points:.1%} (the rest got the nearest grid and a distance)")
    agree = sum(
        1
        for a, b in zip(singles, many, strict=True)
        if a is not None and b is not None and (a.grid_id, a.inside) == (b.grid_id, b.inside)
    )
    print(f"locate() and locate_many() agree on {agree / args.points:.2%} of points")


if __name__ == "__main__":
    main()
