"""Point → grid lookup: inside, on a shared edge, outside (nearest and how far), and a cache that keeps up."""

import datetime as dt
import math

import numpy as np
import pytest
from django.utils import timezone
from shapely.geometry import shape

from grassroots.geo import index as index_module
from grassroots.geo.index import GridEntry, GridIndex, Location, grid_index, locate_point
from grassroots.geo.models import Grid
from grassroots.geo.services import grid_save

from .conftest import LAT, LON, square

M_PER_DEGREE = 6_371_008.8 * math.pi / 180


def entry(grid_id, code, lon, lat, size=0.01):
    return GridEntry(
        grid_id=grid_id, grid_code=code, village_code=code[:12], boundary=shape(square(lon, lat, size))
    )


@pytest.fixture
def two_grids():
    """Two squares side by side sharing the edge lon = LON + 0.01; given in reverse code order on purpose."""
    return GridIndex([entry(2, "33042110220201", LON + 0.01, LAT), entry(1, "33042110220101", LON, LAT)])


def located(lon: float, lat: float) -> Location:
    location = locate_point(lon, lat)
    assert location is not None
    return location


def save(actor, village, code, boundary):
    return grid_save(
        actor=actor, code=code, name="网格", village=village, boundary=boundary, households=150, kind="rural"
    )


def test_a_point_inside_a_grid_is_located_with_its_divisions(two_grids):
    location = two_grids.locate(LON + 0.005, LAT + 0.005)
    assert location is not None
    assert (location.grid_id, location.grid_code, location.inside, location.distance_m) == (
        1,
        "33042110220101",
        True,
        0.0,
    )
    assert (location.village_code, location.township_code, location.district_code) == (
        "330421102201",
        "330421102",
        "330421",
    )


def test_a_point_on_a_shared_edge_goes_to_the_lower_grid_code(two_grids):
    location = two_grids.locate(LON + 0.01, LAT + 0.005)
    assert (location.grid_code, location.inside) == ("33042110220101", True)


def test_a_point_on_a_shared_corner_goes_to_the_lower_grid_code(two_grids):
    assert two_grids.locate(LON + 0.01, LAT).grid_code == "33042110220101"


def test_a_point_on_an_outer_edge_is_inside(two_grids):
    location = two_grids.locate(LON + 0.02, LAT + 0.005)
    assert (location.grid_code, location.inside) == ("33042110220201", True)


def test_a_point_outside_every_grid_gets_the_nearest_and_the_distance_in_metres(two_grids):
    # 0.001° east of the eastern edge, at latitude LAT + 0.005.
    location = two_grids.locate(LON + 0.021, LAT + 0.005)
    assert (location.grid_code, location.inside) == ("33042110220201", False)
    expected = 0.001 * M_PER_DEGREE * math.cos(math.radians(LAT + 0.005))
    assert location.distance_m == pytest.approx(expected, rel=0.005)


def test_a_point_equally_near_two_grids_gets_the_lower_code(two_grids):
    location = two_grids.locate(LON + 0.01, LAT - 0.001)
    assert (location.grid_code, location.inside) == ("33042110220101", False)
    assert location.distance_m == pytest.approx(0.001 * M_PER_DEGREE, rel=0.001)


def test_an_empty_index_locates_nothing():
    empty = GridIndex([])
    assert len(empty) == 0
    assert empty.locate(LON, LAT) is None
    assert empty.locate_many([LON, LON], [LAT, LAT]) == [None, None]


def test_coordinates_must_be_finite(two_grids):
    with pytest.raises(ValueError):
        two_grids.locate(math.nan, LAT)
    with pytest.raises(ValueError):
        two_grids.locate_many([LON, math.inf], [LAT, LAT])


def test_a_multipolygon_grid_is_found_in_either_part():
    parts = [square(LON, LAT)["coordinates"], square(LON + 0.05, LAT)["coordinates"]]
    grid = GridEntry(
        grid_id=7,
        grid_code="33042110220101",
        village_code="330421102201",
        boundary=shape({"type": "MultiPolygon", "coordinates": parts}),
    )
    found = GridIndex([grid]).locate(LON + 0.055, LAT + 0.005)
    assert found is not None
    assert (found.grid_id, found.inside) == (7, True)


def test_locate_many_gives_the_same_answers_as_locate(two_grids):
    rng = np.random.default_rng(20261121)
    lons = rng.uniform(LON - 0.01, LON + 0.03, 500)
    lats = rng.uniform(LAT - 0.01, LAT + 0.02, 500)
    # Points on the shared edge, on a corner, and equally near both grids.
    lons = np.append(lons, [LON + 0.01, LON + 0.01, LON + 0.01])
    lats = np.append(lats, [LAT + 0.005, LAT, LAT - 0.001])
    many = two_grids.locate_many(lons, lats)
    singles = [two_grids.locate(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
    assert [m.grid_code for m in many] == [s.grid_code for s in singles]
    assert [m.inside for m in many] == [s.inside for s in singles]
    assert [m.distance_m for m in many] == pytest.approx([s.distance_m for s in singles])
    assert any(m.inside for m in many) and not all(m.inside for m in many)


def test_the_cached_index_is_built_from_the_database(world):
    location = located(120.885, 30.945)
    assert (location.grid_id, location.village_code) == (world.grid_a.pk, "330421102201")
    assert grid_index() is grid_index()


def test_the_cached_index_of_an_empty_database_locates_nothing(db):
    assert locate_point(LON, LAT) is None


def test_the_index_is_rebuilt_after_a_grid_is_added(tree, actor):
    save(actor, tree.village_a, "33042110220101", square(LON, LAT))
    assert located(LON + 0.015, LAT + 0.005).inside is False
    save(actor, tree.village_b, "33042110220201", square(LON + 0.01, LAT))
    location = located(LON + 0.015, LAT + 0.005)
    assert (location.grid_code, location.inside) == ("33042110220201", True)


def test_the_index_is_rebuilt_after_a_boundary_changes(tree, actor):
    save(actor, tree.village_a, "33042110220101", square(LON, LAT))
    assert located(LON + 0.015, LAT + 0.005).inside is False
    save(actor, tree.village_a, "33042110220101", square(LON, LAT, 0.02))
    assert located(LON + 0.015, LAT + 0.005).inside is True


def test_the_index_is_rebuilt_after_a_grid_is_deleted(tree, actor):
    grid = save(actor, tree.village_a, "33042110220101", square(LON, LAT))
    assert located(LON, LAT).grid_code == "33042110220101"
    grid.delete()
    assert locate_point(LON, LAT) is None


def test_a_change_made_by_another_process_is_seen_after_the_refresh_interval(tree, actor, monkeypatch):
    save(actor, tree.village_a, "33042110220101", square(LON, LAT))
    first = grid_index()
    # QuerySet.update() sends no signal: as far as this process knows, someone else changed the grid.
    Grid.objects.filter(code="33042110220101").update(
        boundary=square(LON, LAT, 0.02), updated_at=timezone.now() + dt.timedelta(seconds=1)
    )
    assert grid_index() is first
    clock = index_module.time.monotonic()
    monkeypatch.setattr(index_module.time, "monotonic", lambda: clock + index_module.REFRESH_SECONDS + 1)
    assert grid_index() is not first
    assert located(LON + 0.015, LAT + 0.005).inside is True


def test_an_unchanged_database_keeps_the_same_index_after_the_refresh_interval(tree, actor, monkeypatch):
    save(actor, tree.village_a, "33042110220101", square(LON, LAT))
    first = grid_index()
    clock = index_module.time.monotonic()
    monkeypatch.setattr(index_module.time, "monotonic", lambda: clock + index_module.REFRESH_SECONDS + 1)
    assert grid_index() is first
