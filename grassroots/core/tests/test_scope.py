"""One scope predicate: `Scope.covers` (one record, in memory) agrees with `Scope.q` (a queryset, in SQL) on every
scope and record, and a region a viewer chooses is accepted exactly when their scope covers it."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.scope import EVERYTHING, NOTHING, OutOfScope, Scope, code_strays, code_upper
from grassroots.people.choices import Role
from grassroots.people.models import Person

# Few digits, so that prefixes and codes often share a beginning; nines test the top of the code range.
codes = st.text(alphabet="0129", min_size=0, max_size=14)
prefixes = st.text(alphabet="0129", min_size=1, max_size=14)
unit_slots = st.sampled_from([None, 0, 1])  # an index into the world's two units, or no unit


@st.composite
def scopes(draw: st.DrawFn) -> tuple[str, str, int | None]:
    """(kind, region prefix, unit slot): the unit is resolved to a real id inside the test."""
    kind = draw(st.sampled_from(["everything", "nothing", "region", "unit", "both"]))
    prefix = draw(prefixes) if kind in ("region", "both") else ""
    unit = draw(st.sampled_from([0, 1])) if kind in ("unit", "both") else None
    return kind, prefix, unit


def _scope(kind: str, prefix: str, unit_id: int | None) -> Scope:
    if kind == "everything":
        return EVERYTHING
    if kind == "nothing":
        return NOTHING
    return Scope(region_prefix=prefix, unit_id=unit_id)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scope=scopes(), records=st.lists(st.tuples(codes, unit_slots), min_size=1, max_size=8))
def test_covers_agrees_with_the_queryset_filter(world, scope, records):
    units = [world.command_room.pk, world.agency.pk]
    kind, prefix, slot = scope
    s = _scope(kind, prefix, None if slot is None else units[slot])
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(
                username=f"p{i}",
                name="某",
                role=Role.VILLAGE_STAFF,
                region_code=code,
                unit_id=None if u is None else units[u],
            )
            for i, (code, u) in enumerate(records)
        )
        mine = Person.objects.filter(pk__in=[p.pk for p in people])
        for region_field, unit_field in (
            ("region_code", None),
            (None, "unit_id"),
            ("region_code", "unit_id"),
        ):
            selected = mine.filter(s.q(region_field=region_field, unit_field=unit_field))
            in_sql = set(selected.values_list("pk", flat=True))
            in_memory = {
                p.pk
                for p in people
                if s.covers(
                    region_code=p.region_code if region_field else None,
                    unit_id=p.unit_id if unit_field else None,
                )
            }
            assert in_memory == in_sql, (s, region_field, unit_field)
        transaction.set_rollback(True)


@given(prefix=prefixes, code=codes)
def test_the_code_range_is_a_prefix_match(prefix, code):
    # The range filter reads like startswith for every digit code, a prefix of nines included.
    upper = code_upper(prefix)
    inside = prefix <= code and (upper is None or code < upper) and code not in code_strays(prefix)
    assert inside == code.startswith(prefix)


def test_a_grid_numbered_99_does_not_see_the_next_villages_own_code():
    assert code_strays("33042110220199") == ["330421102202", "3304211022020"]
    assert code_strays("33042110220101") == []
    assert Scope(region_prefix="33042110220199").covers(region_code="330421102202") is False


def test_a_viewer_may_choose_a_region_inside_their_own():
    township = Scope(region_prefix="330421102", unit_id=7)
    assert township.within("330421102201") == Scope(region_prefix="330421102201")
    assert township.within("330421102") == Scope(region_prefix="330421102")


def test_a_region_outside_the_scope_is_refused_as_not_found():
    township = Scope(region_prefix="330421102")
    for outside in ("330421101", "330421", "", "33042110"):
        with pytest.raises(OutOfScope) as refused:
            township.within(outside)
        assert refused.value.code == "region_out_of_scope"
        assert refused.value.status == 404


def test_only_everything_may_choose_the_whole_database():
    assert EVERYTHING.within("") == EVERYTHING
    assert EVERYTHING.within("330421") == Scope(region_prefix="330421")
    with pytest.raises(OutOfScope):
        Scope(unit_id=3).within("")
    with pytest.raises(OutOfScope):
        NOTHING.within("330421")


def test_a_grid_scope_widened_to_its_village_keeps_its_unit():
    grid = Scope(region_prefix="33042110220101", unit_id=4)
    assert grid.widened_to(12) == Scope(region_prefix="330421102201", unit_id=4)
    assert Scope(region_prefix="330421").widened_to(12) == Scope(region_prefix="330421")
    assert EVERYTHING.widened_to(12) == EVERYTHING
    assert NOTHING.widened_to(12) == NOTHING


def test_unit_staff_cover_their_units_records_and_no_region():
    staff = Scope(unit_id=5)
    assert staff.covers(unit_id=5)
    assert not staff.covers(unit_id=6)
    assert not staff.covers(region_code="330421")
