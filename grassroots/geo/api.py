"""Divisions and grids through the API as GeoJSON (/api/v1/divisions, /api/v1/grids), scoped like the pages.

A viewer sees the grids of their region (`Scope.q` on the grid code, as the command room's filters do) and the
divisions of their region widened to villages (as the assessment pages' areas: a grid's scope sees its village).
Anything else answers 404. A division's geometry is the union of its grids' boundaries: divisions carry no polygon
of their own, and grids tile the villages. Each page costs a fixed number of queries.
"""

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any, TypeVar, cast

import shapely
from django.db.models import DateTimeField, Model, Q, QuerySet, Value
from django.http import Http404, HttpRequest
from ninja import Query, Router
from shapely.geometry import mapping

from grassroots.core.cursors import page_after
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.events.schemas import ErrorOut

from .geometry import boundary_shape
from .models import Division, Grid
from .schemas import (
    GeoDivisionCollectionOut,
    GeoDivisionFeatureOut,
    GeoDivisionPropertiesOut,
    GeoDivisionQuery,
    GeoGridCollectionOut,
    GeoGridFeatureOut,
    GeoGridPropertiesOut,
    GeoGridQuery,
)

divisions_router = Router(tags=["divisions"])
grids_router = Router(tags=["grids"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
M = TypeVar("M", bound=Model)
# Rows without a timestamp of their own share this one, so `page_after`'s keyset is the id alone (newest first).
LISTED_AT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def page_by_id(rows: QuerySet[M], *, cursor: str | None, limit: int) -> tuple[list[M], str | None]:
    """`page_after` for reference rows (no creation time): a stable id order, newest id first."""
    listed = rows.annotate(listed_at=Value(LISTED_AT, output_field=DateTimeField())).order_by("-id")
    return page_after(cast(QuerySet[M], listed), field="listed_at", cursor=cursor, limit=limit)


# -- divisions ----------------------------------------------------------------------------------------------


def divisions_visible_to(user: Any) -> QuerySet[Division]:
    return Division.objects.filter(scope_of(user).widened_to(12).q(region_field="code"))


def grids_visible_to(user: Any) -> QuerySet[Grid]:
    return Grid.objects.filter(scope_of(user).q(region_field="code"))


def _grids_under(divisions: list[Division], *, geometry: bool) -> tuple[dict[str, int], dict[str, Any]]:
    """How many grids lie under each division code, and (if asked) the union of their boundaries: one query."""
    codes = {d.code for d in divisions}
    if not codes:
        return {}, {}
    # A code inside another listed code adds nothing to the filter.
    tops = [c for c in codes if not any(c != o and c.startswith(o) for o in codes)]
    rows = Grid.objects.filter(reduce(or_, (code_prefix_q("code", c) for c in tops))).order_by()
    counts: dict[str, int] = {}
    parts: dict[str, list[Any]] = {}
    for code, boundary in rows.values_list("code", "boundary" if geometry else "code"):
        shape = boundary_shape(boundary) if geometry else None
        for digits in (6, 9, 12):
            if code[:digits] in codes:
                counts[code[:digits]] = counts.get(code[:digits], 0) + 1
                if shape is not None:
                    parts.setdefault(code[:digits], []).append(shape)
    return counts, {code: mapping(shapely.union_all(shapes)) for code, shapes in parts.items()}


def _division_feature(
    d: Division, grid_counts: dict[str, int], outlines: dict[str, Any]
) -> GeoDivisionFeatureOut:
    return GeoDivisionFeatureOut(
        id=d.pk,
        geometry=outlines.get(d.code),
        properties=GeoDivisionPropertiesOut(
            id=d.pk,
            code=d.code,
            name=d.name,
            level=d.level,
            level_label=d.get_level_display(),
            kind=d.kind,
            kind_label=d.get_kind_display(),
            parent_code=d.parent.code if d.parent else None,
            valid_from=d.valid_from,
            valid_to=d.valid_to,
            grids=grid_counts.get(d.code, 0),
        ),
    )


@divisions_router.get(
    "",
    response={200: GeoDivisionCollectionOut, **ERRORS},
    summary="行政区划（GeoJSON，按范围，游标分页）",
    operation_id="division_list",
)
def division_list(request: HttpRequest, query: Query[GeoDivisionQuery]) -> GeoDivisionCollectionOut:
    rows = divisions_visible_to(request.user).select_related("parent")
    if query.current:
        rows = rows.filter(valid_to__isnull=True)
    if query.level:
        rows = rows.filter(level=query.level)
    if query.parent:
        rows = rows.filter(parent__code=query.parent)
    if query.q.strip():
        q = query.q.strip()
        rows = rows.filter(Q(name__contains=q) | Q(code__startswith=q))
    page, after = page_by_id(rows, cursor=query.cursor, limit=query.limit)
    counts, outlines = _grids_under(page, geometry=query.geometry)
    return GeoDivisionCollectionOut(
        features=[_division_feature(d, counts, outlines) for d in page], next=after
    )


@divisions_router.get(
    "/{code}",
    response={200: GeoDivisionFeatureOut, **ERRORS},
    summary="一个行政区划（现行代码；范围外返回 404）",
    operation_id="division_detail",
)
def division_detail(request: HttpRequest, code: str) -> GeoDivisionFeatureOut:
    division = (
        divisions_visible_to(request.user)
        .select_related("parent")
        .filter(code=code, valid_to__isnull=True)
        .first()
    )
    if division is None:
        raise Http404("区划不存在或不在您的管辖范围内")
    return _division_feature(division, *_grids_under([division], geometry=True))


# -- grids --------------------------------------------------------------------------------------------------


def _grid_feature(g: Grid) -> GeoGridFeatureOut:
    return GeoGridFeatureOut(
        id=g.pk,
        bbox=[g.min_lon, g.min_lat, g.max_lon, g.max_lat],
        geometry=g.boundary,
        properties=GeoGridPropertiesOut(
            id=g.pk,
            code=g.code,
            name=g.name,
            kind=g.kind,
            kind_label=g.get_kind_display(),
            households=g.households,
            village_code=g.village.code,
            village_name=g.village.name,
            township_code=g.township_code,
            label=[g.label_lon, g.label_lat],
            updated_at=g.updated_at,
        ),
    )


@grids_router.get(
    "",
    response={200: GeoGridCollectionOut, **ERRORS},
    summary="网格及其边界（GeoJSON，按范围，游标分页）",
    operation_id="grid_list",
)
def grid_list(request: HttpRequest, query: Query[GeoGridQuery]) -> GeoGridCollectionOut:
    rows = grids_visible_to(request.user).select_related("village")
    if query.village:
        rows = rows.filter(village__code=query.village)
    if query.township:
        rows = rows.filter(code_prefix_q("code", query.township))
    if query.q.strip():
        q = query.q.strip()
        rows = rows.filter(Q(name__contains=q) | Q(code__startswith=q))
    page, after = page_by_id(rows, cursor=query.cursor, limit=query.limit)
    return GeoGridCollectionOut(features=[_grid_feature(g) for g in page], next=after)


@grids_router.get(
    "/{code}",
    response={200: GeoGridFeatureOut, **ERRORS},
    summary="一个网格及其边界（范围外返回 404）",
    operation_id="grid_detail",
)
def grid_detail(request: HttpRequest, code: str) -> GeoGridFeatureOut:
    grid = grids_visible_to(request.user).select_related("village").filter(code=code).first()
    if grid is None:
        raise Http404("网格不存在或不在您的管辖范围内")
    return _grid_feature(grid)
