"""The demo's year of joint operations in 西塘镇: about sixty-odd (seed 001's 60余次), a dozen of them against bar
touting, noise and unmarked prices (seed 000's 10余次), July heavier (seed 004), every unit's results recorded by its
own staff and totalled; the same for a seed; counted by the seed rows; removed with the demo.

The district and its operations are built once for the module inside a transaction rolled back at the end."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from grassroots.demo.district import build_demo_district
from grassroots.demo.enforcement_operations import (
    build_demo_operations,
    delete_demo_operations,
    demo_operations,
)

from ..models.operations import OperationStatus
from ..operation_seed_rows import operation_seed_rows
from ..services.operations import totals_of

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 12)


def signature() -> list[tuple[Any, ...]]:
    return [
        (o.title, o.starts_on, o.ends_on, o.status, tuple(totals_of(o).values()))
        for o in demo_operations().order_by("starts_on", "title", "pk")
    ]


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        made = build_demo_operations(seed=7, today=TODAY)
        first = signature()
        delete_demo_operations()
        assert build_demo_operations(seed=7, today=TODAY) == made
        yield made, first
        transaction.set_rollback(True)


def test_a_year_of_sixty_odd_operations_the_same_for_a_seed(built) -> None:
    made, first = built
    assert 62 <= made <= 66 and demo_operations().count() == made
    assert signature() == first
    assert build_demo_operations(seed=7, today=TODAY) == 0  # already there
    starts = [o.starts_on for o in demo_operations()]
    assert min(starts) >= dt.date(2025, 9, 1) and max(starts) <= dt.date(2026, 8, 31)


def test_finished_operations_carry_every_units_results_and_the_running_ones_wait(built) -> None:
    finished = demo_operations().filter(status=OperationStatus.FINISHED)
    assert finished.count() > 40
    for operation in finished:
        rows = list(operation.participants.all())
        assert all(r.recorded_at is not None and r.recorded_by.unit_id == r.unit_id for r in rows)
        assert operation.history.get(action="finish").data["totals"] == totals_of(operation)
    assert all(o.ends_on < TODAY for o in finished)
    assert all(o.starts_on > TODAY for o in demo_operations().filter(status=OperationStatus.PLANNED))


def test_the_seed_rows_count_the_demo(built) -> None:
    rows = {row.what: row for row in operation_seed_rows(TODAY)}
    xitang = rows["西塘镇联合整治行动（酒吧拉客、噪音、明码标价等）"]
    assert xitang.seed_value == "10余次" and 10 <= int(xitang.computed) <= 12
    year = rows["一个镇一年的联合执法（九龙湖镇“今年以来60余次”）"]
    cancelled = demo_operations().filter(status=OperationStatus.CANCELLED).count()
    assert int(year.computed) == demo_operations().count() - cancelled
    july = rows["7月全区各乡镇（街道）联合执法行动"]
    june = demo_operations().filter(starts_on__month=6).exclude(status="cancelled").count()
    assert int(july.computed) > june
    assert "7月" in rows["每月联合执法行动（西塘镇）"].computed
