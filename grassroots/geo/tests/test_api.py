"""Divisions and grids through the API: GeoJSON feature collections, scoped like the pages (404 outside),
cursor-paginated, with a fixed number of queries a page."""

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from grassroots.conftest import make_grid, square
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division


def test_grids_are_a_feature_collection_with_their_polygons(world):
    body = world.client_for(world.oscar).get("/api/v1/grids").json()
    assert body["type"] == "FeatureCollection" and body["next"] is None
    by_code = {f["properties"]["code"]: f for f in body["features"]}
    assert set(by_code) == {"33042110220101", "33042110220201"}
    feature = by_code["33042110220101"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == square(120.88, 30.94)
    assert feature["bbox"] == pytest.approx([120.88, 30.94, 120.89, 30.95])
    assert feature["properties"]["village_code"] == "330421102201"
    assert feature["properties"]["township_code"] == "330421102"


def test_a_village_worker_sees_the_grids_of_their_village_only(world):
    client = world.client_for(world.bob)
    codes = [f["properties"]["code"] for f in client.get("/api/v1/grids").json()["features"]]
    assert codes == ["33042110220101"]
    assert client.get("/api/v1/grids/33042110220201").status_code == 404
    assert client.get("/api/v1/grids/33042110220101").json()["properties"]["name"] == "网格01"


def test_agency_staff_see_no_grids(world):
    assert world.client_for(world.dora).get("/api/v1/grids").json()["features"] == []


def test_divisions_carry_the_union_of_their_grids(world):
    body = world.client_for(world.oscar).get("/api/v1/divisions").json()
    by_code = {f["properties"]["code"]: f for f in body["features"]}
    assert set(by_code) == {"330421102", "330421102201", "330421102202"}  # not the district above
    township = shape(by_code["330421102"]["geometry"])
    assert township.geom_type == "Polygon"  # the two adjacent squares merged
    assert township.bounds == pytest.approx((120.88, 30.94, 120.9, 30.95))
    assert shapely.equals(shape(by_code["330421102201"]["geometry"]), shape(square(120.88, 30.94)))
    assert by_code["330421102"]["properties"]["grids"] == 2
    assert by_code["330421102201"]["properties"]["parent_code"] == "330421102"


def test_a_division_without_grids_has_no_geometry(world):
    Division.objects.create(
        code="330421102203",
        name="新村",
        level=DivisionLevel.VILLAGE,
        kind=DivisionKind.VILLAGERS,
        parent=world.township,
    )
    feature = world.client_for(world.oscar).get("/api/v1/divisions/330421102203").json()
    assert feature["geometry"] is None and feature["properties"]["grids"] == 0


def test_divisions_outside_the_scope_answer_404(world):
    client = world.client_for(world.bob)
    assert client.get("/api/v1/divisions/330421102202").status_code == 404
    assert client.get("/api/v1/divisions/330421").status_code == 404
    assert client.get("/api/v1/divisions/330421102201").status_code == 200
    body = client.get("/api/v1/divisions?geometry=false").json()
    assert [f["properties"]["code"] for f in body["features"]] == ["330421102201"]
    assert body["features"][0]["geometry"] is None


def test_filters_and_the_cursor_walk_every_grid_once(world):
    for n in range(2, 6):
        make_grid(f"3304211022010{n}", world.village_a, square(120.88 + n * 0.01, 30.96))
    client = world.client_for(world.oscar)
    seen, cursor = [], ""
    while True:
        body = client.get(f"/api/v1/grids?village=330421102201&limit=2&cursor={cursor}").json()
        seen += [f["properties"]["code"] for f in body["features"]]
        if not body["next"]:
            break
        cursor = body["next"]
    assert sorted(seen) == [f"3304211022010{n}" for n in range(1, 6)]
    assert len(seen) == len(set(seen))
    assert client.get("/api/v1/grids?cursor=nonsense").json()["code"] == "invalid_cursor"


def test_a_page_of_divisions_costs_the_same_queries_however_many_grids(world):
    client = world.client_for(world.oscar)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/divisions")
    for n in range(2, 8):
        make_grid(f"3304211022020{n}", world.village_b, square(120.89 + n * 0.01, 30.96))
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/divisions")
    assert len(many) == len(few)
