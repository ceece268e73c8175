"""Per-process memos of reference rows: read once, forgotten when a row changes here or the time runs out."""

import pytest

from grassroots.core import refcache
from grassroots.core.refcache import reference_cached
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit

calls: list[str] = []


@reference_cached(Unit, ttl=60)
def unit_named(code: str) -> str | None:
    calls.append(code)
    unit = Unit.objects.filter(code=code).first()
    return unit.name if unit else None


@pytest.fixture(autouse=True)
def _fresh() -> None:
    calls.clear()
    unit_named.cache_clear()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_memo_reads_once_per_argument(world):
    code = world.agency.code
    assert unit_named(code) == world.agency.name
    assert unit_named(code) == world.agency.name
    assert unit_named("nope") is None
    assert unit_named("nope") is None
    assert calls == [code, "nope"]


@pytest.mark.django_db
def test_saving_a_row_of_the_watched_model_forgets_the_memo(world):
    code = world.agency.code
    unit_named(code)
    world.agency.name = "新名称"
    world.agency.save()
    assert unit_named(code) == "新名称"
    Unit.objects.create(
        code="X-1", name="新单位", kind=UnitKind.COUNTY_DEPARTMENT, division=world.agency.division
    )
    assert unit_named("X-1") == "新单位"
    assert calls == [code, code, "X-1"]


@pytest.mark.django_db
def test_a_change_no_signal_announces_shows_once_the_time_runs_out(world, monkeypatch):
    code = world.agency.code
    unit_named(code)
    Unit.objects.filter(pk=world.agency.pk).update(name="批量改名")  # no signal
    assert unit_named(code) == world.agency.name  # still the memo
    now = refcache.time.monotonic()
    monkeypatch.setattr(refcache.time, "monotonic", lambda: now + 61)
    assert unit_named(code) == "批量改名"


@pytest.mark.django_db
def test_clearing_every_memo_forgets_this_one(world):
    unit_named(world.agency.code)
    refcache.reference_caches_clear()
    unit_named(world.agency.code)
    assert len(calls) == 2
