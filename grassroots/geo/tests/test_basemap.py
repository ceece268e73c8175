"""The base map: the tile configuration every map page gets, and the features endpoint (bbox, cache, queries)."""

import pytest
from django.core.cache import cache
from django.test import Client

from grassroots.geo.basemap import GCJ02, WGS84, basemap_config
from grassroots.geo.geometry import feature_fields
from grassroots.geo.tests.basemap_data import line, world_base_map

pytestmark = pytest.mark.django_db

URL = "/geo/basemap.geojson"
AROUND_THE_WORLD = "120.87,30.93,120.91,30.96"


@pytest.fixture
def base_map(world):
    cache.clear()
    return world_base_map(world)


def names(response) -> list[str]:
    return sorted(f["properties"]["name"] for f in response.json()["features"])


def test_the_features_touching_the_box_come_back_with_what_the_map_draws(base_map):
    response = Client().get(URL, {"bbox": AROUND_THE_WORLD})  # anonymous: the public report page draws it too
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert names(response) == sorted(["塘东公路", "红菱路", "红旗塘", "荷花荡", "红菱村", "鸦鹊村"])
    road = next(f for f in response.json()["features"] if f["properties"]["name"] == "塘东公路")
    assert road["geometry"]["type"] == "LineString"
    assert set(road["properties"]) == {"kind", "name", "rank", "label", "angle"}
    assert road["properties"]["kind"] == "road" and road["properties"]["rank"] == 2


def test_a_box_elsewhere_gets_only_what_lies_there(base_map):
    assert names(Client().get(URL, {"bbox": "121.55,31.54,121.58,31.56"})) == ["远方公路"]
    assert names(Client().get(URL, {"bbox": "100,20,100.5,20.5"})) == []


def test_a_box_that_only_grazes_a_feature_still_gets_it(base_map):
    # The pond spans 120.882–120.884: a box ending at 120.8825 touches it.
    assert "荷花荡" in names(Client().get(URL, {"bbox": "120.86,30.9475,120.8825,30.948"}))


@pytest.mark.parametrize(
    ("bbox", "code"),
    [
        ("", "bad_bbox"),
        ("1,2,3", "bad_bbox"),
        ("a,b,c,d", "bad_bbox"),
        ("120.9,30.9,120.8,31.0", "bad_bbox"),  # west > east
        ("nan,30.9,120.8,31.0", "bad_bbox"),
        ("119,30,121,31", "bbox_too_large"),
    ],
)
def test_unusable_boxes_are_refused_in_chinese(base_map, bbox, code):
    response = Client().get(URL, {"bbox": bbox})
    assert response.status_code == 422
    assert response.json()["code"] == code and "bbox" in response.json()["message"]


def test_the_layer_is_cached_per_box_and_revalidated_by_etag(base_map, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(2):  # the version, then the features
        first = client.get(URL, {"bbox": AROUND_THE_WORLD})
    with django_assert_num_queries(1):  # the version only
        again = client.get(URL, {"bbox": "120.871,30.931,120.909,30.959"})  # widened to the same box
    assert again.content == first.content and again["ETag"] == first["ETag"]
    with django_assert_num_queries(1):
        unchanged = client.get(URL, {"bbox": AROUND_THE_WORLD}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304


def test_a_changed_feature_shows_at_once(base_map):
    client = Client()
    first = client.get(URL, {"bbox": AROUND_THE_WORLD})
    road = base_map[0]
    road.name = "塘东大道"
    road.save()
    second = client.get(URL, {"bbox": AROUND_THE_WORLD})
    assert second["ETag"] != first["ETag"] and "塘东大道" in names(second)


def test_no_tiles_configured_means_the_vector_base_map(settings):
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = ""
    config = basemap_config()
    assert config["tiles"] == [] and config["featuresUrl"] == URL


def test_a_tianditu_key_gives_its_vector_map_and_annotation_in_web_mercator(settings):
    settings.TIANDITU_KEY = "abc123"
    settings.MAP_TILE_URL = "https://ignored.example/{z}/{x}/{y}.png"
    settings.MAP_COORDINATES = GCJ02  # 天地图 is CGCS2000 whatever the other tiles would be
    vec, cva = basemap_config(crs=WGS84)["tiles"]
    assert vec["url"].startswith("https://t{s}.tianditu.gov.cn/vec_w/wmts?")
    assert "LAYER=vec" in vec["url"] and "TILEMATRIXSET=w" in vec["url"] and vec["url"].endswith("&tk=abc123")
    assert "TILEMATRIX={z}&TILEROW={y}&TILECOL={x}" in vec["url"]
    assert cva["url"].startswith("https://t{s}.tianditu.gov.cn/cva_w/wmts?") and "LAYER=cva" in cva["url"]
    assert vec["subdomains"] == "01234567" and vec["attribution"] == "天地图"


def test_a_tile_url_is_used_only_by_maps_drawn_in_its_coordinate_system(settings):
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = "https://tiles.example/{s}/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "某某地图"
    settings.MAP_COORDINATES = GCJ02
    assert basemap_config(crs=WGS84)["tiles"] == []
    (layer,) = basemap_config(crs=GCJ02)["tiles"]
    assert layer["url"] == settings.MAP_TILE_URL and layer["attribution"] == "某某地图"


@pytest.mark.parametrize(
    ("points", "angle"),
    [
        (((120.0, 30.0), (120.01, 30.0)), 0.0),  # west to east
        (((120.01, 30.0), (120.0, 30.0)), 0.0),  # east to west: text still reads left to right
        (((120.0, 30.0), (120.0, 30.01)), 90.0),
    ],
)
def test_a_line_is_labelled_halfway_with_its_text_along_it_and_never_upside_down(points, angle):
    fields = feature_fields(line(*points))
    assert fields["label_angle"] == angle
    assert fields["label_lon"] == pytest.approx((points[0][0] + points[1][0]) / 2)
