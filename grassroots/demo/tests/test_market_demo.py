"""The demo's market registry: 1,000+ operating entities in 魏塘街道 and a few hundred in 西塘镇, each with a valid
USCC under the district's code, placed in a grid of its township, and the seed 002 row of `manage.py seed_figures`.

The district and its entities are built once for the module inside a transaction rolled back at the end."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.market import build_demo_market, demo_entities
from grassroots.geo.index import locate_point
from grassroots.market.models import AbnormalListing, Licence, MarketEntity
from grassroots.market.seed_rows import entity_count
from grassroots.market.services.codes import division_checker, entity_uscc_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        yield build_demo_market(seed=7)
        transaction.set_rollback(True)


def test_weitang_has_over_a_thousand_operating_entities_and_xitang_a_few_hundred(built: int) -> None:
    assert built == MarketEntity.objects.count() >= 1400
    assert entity_count("330421001") >= 1000
    assert 250 <= entity_count("330421102") < 400


def test_every_code_is_valid_and_every_entity_lies_in_a_grid_of_its_village(built: int) -> None:
    known = division_checker()
    for uscc, region, grid_code in MarketEntity.objects.values_list("uscc", "region_code", "grid__code"):
        assert entity_uscc_problems(uscc, division_exists=known) == [], uscc
        assert grid_code.startswith(region) and len(region) == 12


def test_each_entitys_point_is_found_in_its_grid_by_the_grid_lookup(built: int) -> None:
    rows = list(MarketEntity.objects.order_by("pk").values_list("lon", "lat", "grid_id"))
    misplaced = []
    for lon, lat, grid_id in rows:
        assert lon is not None and lat is not None
        found = locate_point(lon, lat)
        if found is None or found.grid_id != grid_id:
            misplaced.append((lon, lat, grid_id))
    assert len(misplaced) <= len(rows) * 0.02


def test_there_are_licences_some_expired_a_few_listings_and_every_class(built: int) -> None:
    assert Licence.objects.count() > 300
    assert 10 <= AbnormalListing.objects.count() <= 100
    classes = set(MarketEntity.objects.values_list("risk_class", flat=True))
    assert {"A", "B", "C"} <= classes


def test_building_again_adds_nothing_and_seed_figures_shows_the_count(built: int) -> None:
    assert build_demo_market(seed=7) == 0
    out = StringIO()
    call_command("seed_figures", stdout=out)
    assert f"{entity_count('330421001'):,}" in out.getvalue()
    assert "望亭镇企业数据库" in out.getvalue()


def test_reset_deletes_the_entities(built: int) -> None:
    with transaction.atomic():
        reset_demo_district()
        assert not demo_entities().exists()
        transaction.set_rollback(True)
