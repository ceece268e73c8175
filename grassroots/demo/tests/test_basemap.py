"""The demo district's base map: roads, water and boundaries are generated with the district, and lie in it."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from shapely.geometry import shape

from grassroots.demo.district import DemoDistrict, build_demo_district, reset_demo_district
from grassroots.geo.choices import BaseFeatureKind, DivisionLevel
from grassroots.geo.models import BaseFeature, Division

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoDistrict]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_district()
        transaction.set_rollback(True)


def test_the_demo_draws_roads_water_and_every_village_boundary(demo: DemoDistrict) -> None:
    kinds = Counter(BaseFeature.objects.values_list("kind", "rank"))
    assert kinds[(BaseFeatureKind.ROAD, 1)] == 2  # the expressway and the national road
    assert kinds[(BaseFeatureKind.ROAD, 2)] >= 3  # township roads between the towns
    assert kinds[(BaseFeatureKind.ROAD, 3)] >= 30  # town streets and village roads
    assert kinds[(BaseFeatureKind.WATER, 1)] >= 3 and kinds[(BaseFeatureKind.WATER, 2)] >= 1
    villages = Division.objects.filter(level=DivisionLevel.VILLAGE)
    bounded = BaseFeature.objects.filter(kind=BaseFeatureKind.BOUNDARY, rank=3)
    assert sorted(bounded.values_list("division__code", flat=True)) == sorted(
        villages.values_list("code", flat=True)
    )
    assert demo.counts["base_features"] == BaseFeature.objects.count()


def test_every_feature_has_a_name_and_lies_in_the_district(demo: DemoDistrict) -> None:
    district = demo.outlines[demo.district.code].buffer(1e-6)
    for kind, name, geometry in BaseFeature.objects.exclude(kind=BaseFeatureKind.BOUNDARY).values_list(
        "kind", "name", "geometry"
    ):
        assert name, kind
        assert district.contains(shape(geometry)), name


def test_a_village_road_is_named_after_its_village_and_starts_inside_it(demo: DemoDistrict) -> None:
    village = Division.objects.get(name="红菱村")
    (road,) = BaseFeature.objects.filter(kind=BaseFeatureKind.ROAD, division=village)
    assert road.name == "红菱路"
    start = shape(road.geometry).coords[0]
    assert demo.outlines[village.code].buffer(1e-6).contains(shape({"type": "Point", "coordinates": start}))


def test_resetting_the_demo_removes_its_base_map(demo: DemoDistrict) -> None:
    with transaction.atomic():
        reset_demo_district()
        assert not BaseFeature.objects.exists()
        transaction.set_rollback(True)
