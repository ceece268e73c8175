"""Checks shared by the single-object services and the file imports: field rules and overlapping grids.

Each function returns every problem as a Chinese sentence (or an empty list) and never writes.
"""

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .choices import DivisionKind, DivisionLevel, GridKind
from .codes import LEVEL_BY_LENGTH, division_code_errors, grid_code_errors
from .geometry import area_m2, boundary_shape
from .models import Division, Grid

# Grids may share edges; hand-digitised neighbours also leave slivers a fraction of a square metre wide.
# Anything larger is a real overlap and would make a point belong to two grids.
OVERLAP_TOLERANCE_M2 = 1.0
NAME_MAX_LENGTH = 100


def division_errors(*, code: str, name: str, kind: str, parent_code: str | None) -> list[str]:
    errors = _name_errors(name, "区划")
    if kind not in DivisionKind.values:
        errors.append(f"区划类型“{kind}”无效，应为：{_choices_text(DivisionKind)}")
        # Without a kind only the shape of the code can be judged; codes.py would repeat the kind problem.
        if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH:
            errors.extend(division_code_errors(code, kind, parent_code))
        return errors
    return errors + division_code_errors(code, kind, parent_code)


def grid_errors(
    *,
    code: str,
    name: str,
    village_code: str,
    village: Division | None,
    households: Any,
    kind: str,
) -> list[str]:
    """Every problem with one grid's fields but its boundary (`boundary_errors`) and overlaps (below)."""
    errors = _name_errors(name, "网格")
    if kind not in GridKind.values:
        errors.append(f"网格类型“{kind}”无效，应为：{_choices_text(GridKind)}")
    if not isinstance(households, int) or isinstance(households, bool) or households < 0:
        errors.append(f"户数“{households}”应为不小于 0 的整数")
    errors.extend(grid_code_errors(code, village_code))
    if village is None:
        errors.append(f"所属村社区代码“{village_code}”不存在")
    elif village.level != DivisionLevel.VILLAGE:
        errors.append(f"“{village}”不是村社区级区划，网格只能属于村或社区")
    elif village.valid_to is not None:
        errors.append(f"所属村社区“{village}”已于 {village.valid_to:%Y-%m-%d} 失效")
    return errors


def overlaps_among(geoms: Sequence[BaseGeometry]) -> list[tuple[int, int, float]]:
    """Pairs (i, j, square metres) with i < j whose overlap exceeds the tolerance."""
    if len(geoms) < 2:
        return []
    array = np.asarray(geoms)
    left, right = shapely.STRtree(array).query(array, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    areas = _overlap_areas(array[left], array[right])
    return [
        (int(i), int(j), a) for i, j, a in zip(left, right, areas, strict=True) if a > OVERLAP_TOLERANCE_M2
    ]


def overlaps_with_existing(
    geoms: Sequence[BaseGeometry], *, exclude_codes: Collection[str] = ()
) -> list[tuple[int, Grid, float]]:
    """(index into geoms, stored grid, square metres) for every stored grid a geometry overlaps too much.

    Grids named in `exclude_codes` are about to be replaced, so their stored boundaries do not count.
    """
    if not geoms:
        return []
    array = np.asarray(geoms)
    min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(array)
    candidates = list(
        Grid.objects.filter(
            min_lon__lt=max_lon, max_lon__gt=min_lon, min_lat__lt=max_lat, max_lat__gt=min_lat
        ).exclude(code__in=list(exclude_codes))
    )
    if not candidates:
        return []
    # make_valid: a boundary saved before these checks existed must not crash the intersection.
    stored = shapely.make_valid(np.asarray([boundary_shape(grid.boundary) for grid in candidates]))
    mine, theirs = shapely.STRtree(stored).query(array, predicate="intersects")
    areas = _overlap_areas(array[mine], stored[theirs])
    return [
        (int(i), candidates[int(j)], a)
        for i, j, a in zip(mine, theirs, areas, strict=True)
        if a > OVERLAP_TOLERANCE_M2
    ]


def _overlap_areas(left: np.ndarray, right: np.ndarray) -> list[float]:
    return [area_m2(piece) for piece in shapely.intersection(left, right)]


def _name_errors(name: str, what: str) -> list[str]:
    if not name.strip():
        return [f"{what}名称不能为空"]
    if len(name) > NAME_MAX_LENGTH:
        return [f"{what}名称“{name[:20]}…”超过 {NAME_MAX_LENGTH} 个字"]
    return []


def _choices_text(choices: Any) -> str:
    return "、".join(f"{value}（{label}）" for value, label in choices.choices)
