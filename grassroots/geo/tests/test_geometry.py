"""Boundary checks: structure first (shapely would hide an unclosed ring), then validity and extent."""

from grassroots.geo.geometry import area_m2, boundary_errors, boundary_normalised, boundary_shape

from .conftest import LAT, LON, square


def test_a_square_in_china_is_a_good_boundary():
    assert boundary_errors(square(LON, LAT)) == []


def test_a_multipolygon_of_two_separate_squares_is_a_good_boundary():
    parts = [square(LON, LAT)["coordinates"], square(LON + 0.02, LAT)["coordinates"]]
    assert boundary_errors({"type": "MultiPolygon", "coordinates": parts}) == []


def test_a_bow_tie_is_reported_as_self_intersecting_with_its_place():
    ring = [[LON, LAT], [LON + 0.01, LAT + 0.01], [LON + 0.01, LAT], [LON, LAT + 0.01], [LON, LAT]]
    errors = boundary_errors({"type": "Polygon", "coordinates": [ring]})
    assert len(errors) == 1
    assert errors[0].startswith("边界自相交，位置约在经度 120.885")


def test_an_unclosed_ring_is_reported_although_shapely_would_close_it():
    ring = square(LON, LAT)["coordinates"][0][:-1]
    errors = boundary_errors({"type": "Polygon", "coordinates": [ring]})
    assert len(errors) == 1
    assert "第 1 个环未闭合" in errors[0]


def test_a_non_numeric_coordinate_is_reported():
    ring = square(LON, LAT)["coordinates"][0]
    ring[2] = ["120.89", LAT + 0.01]
    assert boundary_errors({"type": "Polygon", "coordinates": [ring]}) == [
        "边界第 1 个环含有非数字坐标 ['120.89', 30.95]"
    ]


def test_a_point_is_not_a_boundary():
    assert boundary_errors({"type": "Point", "coordinates": [LON, LAT]}) == [
        "边界类型为“Point”，应为 Polygon 或 MultiPolygon"
    ]


def test_coordinates_outside_china_are_rejected():
    errors = boundary_errors(square(2.35, 48.85))
    assert len(errors) == 1
    assert errors[0].startswith("边界坐标超出中国范围")


def test_swapped_longitude_and_latitude_get_a_hint():
    errors = boundary_errors(square(LAT, LON))
    assert errors[0].endswith("经纬度可能写反了（应为 [经度, 纬度]）")


def test_a_hole_outside_its_shell_is_reported():
    shell = square(LON, LAT)["coordinates"][0]
    hole = square(LON + 0.05, LAT)["coordinates"][0]
    assert boundary_errors({"type": "Polygon", "coordinates": [shell, hole]})[0].startswith(
        "内环（洞）不在外环之内"
    )


def test_the_stored_boundary_keeps_only_type_and_two_dimensional_coordinates():
    boundary = square(LON, LAT)
    boundary["coordinates"][0] = [[x, y, 5.0] for x, y in boundary["coordinates"][0]]
    boundary["crs"] = {"type": "name"}
    clean = boundary_normalised(boundary)
    assert set(clean) == {"type", "coordinates"}
    assert clean["coordinates"][0][0] == [LON, LAT]


def test_a_square_of_a_hundredth_of_a_degree_near_30_degrees_north_is_about_a_square_kilometre():
    assert 1.0e6 < area_m2(boundary_shape(square(LON, LAT))) < 1.1e6
