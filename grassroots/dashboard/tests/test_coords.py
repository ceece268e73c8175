import math

import pytest

from grassroots.dashboard.coords import (
    GCJ02,
    WGS84,
    display_crs,
    display_geometry,
    display_point,
    out_of_china,
    wgs84_to_gcj02,
)


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(a[0] - b[0]) * math.cos(lat) * 6_371_000
    dy = math.radians(a[1] - b[1]) * 6_371_000
    return math.hypot(dx, dy)


def test_tiananmen_moves_to_its_published_gcj02_position_within_a_metre():
    # WGS-84 (116.397128, 39.916527) ↔ GCJ-02 (116.403371, 39.917929), as published for AMap.
    shifted = wgs84_to_gcj02(116.397128, 39.916527)
    assert metres_between(shifted, (116.403371, 39.917929)) < 1.0


def test_the_transform_agrees_with_the_coordtransform_library_to_the_last_digit():
    # coordtransform's README: wgs84togcj02(116.404, 39.915) → [116.41024449916938, 39.91640428150164]
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-12)
    assert lat == pytest.approx(39.91640428150164, abs=1e-12)


def test_the_offset_near_xitang_is_a_few_hundred_metres_to_the_east_and_south():
    wgs = (120.885, 30.945)
    gcj = wgs84_to_gcj02(*wgs)
    assert 300 < metres_between(wgs, gcj) < 700
    assert gcj[0] > wgs[0] and gcj[1] < wgs[1]


def test_points_outside_china_are_left_alone():
    assert out_of_china(2.3522, 48.8566)
    assert wgs84_to_gcj02(2.3522, 48.8566) == (2.3522, 48.8566)


def test_display_points_are_rounded_to_six_decimals():
    assert display_point(WGS84)(120.123456789, 30.987654321) == [120.123457, 30.987654]
    lon, lat = display_point(GCJ02)(116.397128, 39.916527)
    assert (lon, lat) == (round(lon, 6), round(lat, 6))


def test_a_multipolygon_is_shifted_ring_by_ring():
    ring = [[120.0, 30.0], [120.01, 30.0], [120.01, 30.01], [120.0, 30.0]]
    shown = display_geometry({"type": "MultiPolygon", "coordinates": [[ring], [ring]]}, GCJ02)
    assert shown["type"] == "MultiPolygon"
    assert shown["coordinates"][1][0][2] == display_point(GCJ02)(120.01, 30.01)


def test_the_display_system_comes_from_settings(settings):
    settings.MAP_COORDINATES = "GCJ02"
    assert display_crs() == GCJ02
    settings.MAP_COORDINATES = "wgs84"
    assert display_crs() == WGS84
