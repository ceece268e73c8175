"""The demo's power list: exactly 1,073 powers of 西塘镇's units (seed 000), realistic and sound (every discretion
table keeps its rules, every published power may be published), the same for a seed, counted by `seed_figures`,
and removed with the demo.

The district and its powers are built once for the module inside a transaction rolled back at the end."""

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.enforcement_powers import build_demo_powers, demo_power_rows, demo_powers

from ..models import Power
from ..seed_rows import power_counts
from ..services.powers_rules import discretion_problems, publish_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        yield build_demo_powers(seed=7)
        transaction.set_rollback(True)


def test_xitang_has_exactly_1073_powers_mostly_penalties_in_many_fields(built: int) -> None:
    assert built == 1073 == Power.objects.count() == power_counts("330421102")[0]
    categories = Counter(Power.objects.values_list("category", flat=True))
    assert categories["CF"] > 900 and categories["QZ"] > 20 and categories["JC"] > 20
    fields = set(Power.objects.values_list("field", flat=True))
    assert {
        "市容环卫",
        "城乡规划",
        "环境保护",
        "市场监管",
        "安全生产",
        "消防",
        "交通运输",
        "水利",
        "农业",
    } <= fields
    assert len(fields) >= 12
    assert len(set(Power.objects.values_list("name", flat=True))) == 1073
    assert set(Power.objects.values_list("unit__division__code", flat=True)) == {"330421102"}


def test_most_have_a_five_level_table_and_every_table_and_publication_is_sound(built: int) -> None:
    levels = Counter(len(p.discretion) for p in Power.objects.all())
    assert levels[5] > 1073 * 0.7 and levels[3] > 0
    published = 0
    for power in Power.objects.all():
        assert discretion_problems(power.discretion) == [], power.code
        if power.published:
            published += 1
            problems = publish_problems(
                category=power.category, penalty_basis=power.penalty_basis, discretion=power.discretion
            )
            assert problems == [], power.code
    assert 0.92 * 1073 < published < 0.98 * 1073


def test_the_same_seed_gives_the_same_list_and_another_seed_another(built: int) -> None:
    units = {"330421102-ZFZD": 1, "330421102-SCJG": 2}

    def shape(seed: int) -> list[tuple[Any, ...]]:
        return [
            (p.code, p.name, p.basis, p.discretion, p.published)
            for p in demo_power_rows(seed=seed, units=units)
        ]

    assert shape(7) == shape(7)
    assert shape(7) != shape(8)


def test_building_again_adds_nothing_and_seed_figures_shows_the_count(built: int) -> None:
    assert build_demo_powers(seed=7) == 0
    out = StringIO()
    call_command("seed_figures", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "西塘镇下放执法权力事项" in x)
    assert line.count("1,073") == 2


def test_reset_deletes_the_powers(built: int) -> None:
    with transaction.atomic():
        reset_demo_district()
        assert not demo_powers().exists()
        transaction.set_rollback(True)
