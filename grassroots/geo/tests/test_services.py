"""Writing divisions and grids one at a time: validated, atomic, audited."""

import datetime as dt

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.geo.choices import DivisionKind, DivisionLevel, GridKind
from grassroots.geo.models import Division, Grid
from grassroots.geo.services import GeoValidationError, division_create, grid_save

from .conftest import LAT, LON, square


def save_grid(actor, village, code, boundary, *, households=150):
    return grid_save(
        actor=actor,
        code=code,
        name=f"网格{code[-2:]}",
        village=village,
        boundary=boundary,
        households=households,
        kind=GridKind.RURAL,
    )


def test_a_division_gets_its_level_from_the_code_length_and_an_audit_row(tree, actor):
    assert (tree.district.level, tree.township.level, tree.village_a.level) == (
        DivisionLevel.DISTRICT,
        DivisionLevel.TOWNSHIP,
        DivisionLevel.VILLAGE,
    )
    entry = AuditEntry.objects.get(action="division.create", object_id=str(tree.village_a.pk))
    assert entry.actor == actor


def test_a_division_keeps_the_date_it_took_effect(tree, actor):
    village = division_create(
        actor=actor,
        code="330421102001",
        name="西塘社区",
        kind=DivisionKind.RESIDENTS,
        parent=tree.township,
        valid_from=dt.date(2024, 1, 1),
    )
    assert village.valid_from == dt.date(2024, 1, 1)


def test_a_bad_division_is_rejected_with_every_problem(tree, actor):
    with pytest.raises(GeoValidationError) as caught:
        division_create(
            actor=actor, code="330421103050", name="", kind=DivisionKind.VILLAGERS, parent=tree.township
        )
    assert caught.value.errors == [
        "区划名称不能为空",
        "区划代码“330421103050”末三位 050 不在“村委会”的范围 200–399 内",
        "区划代码“330421103050”与上级代码“330421102”前缀不一致",
    ]
    assert not Division.objects.filter(code="330421103050").exists()


def test_a_current_division_code_cannot_be_created_twice(tree, actor):
    with pytest.raises(GeoValidationError) as caught:
        division_create(actor=actor, code="330421", name="嘉善县", kind=DivisionKind.COUNTY)
    assert caught.value.errors == ["区划代码“330421”已存在"]


def test_a_division_under_an_expired_parent_is_rejected(tree, actor):
    Division.objects.filter(pk=tree.township.pk).update(valid_to=dt.date(2025, 12, 31))
    tree.township.refresh_from_db()
    with pytest.raises(GeoValidationError) as caught:
        division_create(
            actor=actor, code="330421102203", name="新村", kind=DivisionKind.VILLAGERS, parent=tree.township
        )
    assert caught.value.errors == ["上级区划“西塘镇（330421102）”已于 2025-12-31 失效"]


def test_a_new_grid_stores_its_bounding_box_and_label_point_and_is_audited(tree, actor):
    grid = save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    assert (grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat) == pytest.approx(
        (LON, LAT, LON + 0.01, LAT + 0.01)
    )
    assert grid.min_lon < grid.label_lon < grid.max_lon
    assert AuditEntry.objects.filter(action="grid.create", object_id=str(grid.pk)).count() == 1


def test_saving_an_existing_code_updates_that_grid_and_records_what_changed(tree, actor):
    first = save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    second = save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT, 0.02), households=300)
    assert second.pk == first.pk
    assert Grid.objects.count() == 1
    assert second.max_lon == pytest.approx(LON + 0.02)
    entry = AuditEntry.objects.get(action="grid.update")
    assert entry.detail["fields"] == ["boundary", "households"]


def test_saving_a_grid_unchanged_writes_no_audit_row(tree, actor):
    save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    assert not AuditEntry.objects.filter(action="grid.update").exists()


def test_a_grid_may_share_an_edge_with_its_neighbour(tree, actor):
    save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    save_grid(actor, tree.village_b, "33042110220201", square(LON + 0.01, LAT))
    assert Grid.objects.count() == 2


def test_a_grid_may_not_overlap_another(tree, actor):
    save_grid(actor, tree.village_a, "33042110220101", square(LON, LAT))
    with pytest.raises(GeoValidationError) as caught:
        save_grid(actor, tree.village_b, "33042110220201", square(LON + 0.005, LAT))
    (error,) = caught.value.errors
    assert error.startswith("与已有网格“网格01（33042110220101）”重叠约 ")
    assert Grid.objects.count() == 1


def test_a_bad_grid_is_rejected_with_every_problem_and_nothing_saved(tree, actor):
    ring = square(LON, LAT)["coordinates"][0][:-1]
    with pytest.raises(GeoValidationError) as caught:
        save_grid(
            actor, tree.village_a, "33042110220201", {"type": "Polygon", "coordinates": [ring]}, households=-1
        )
    assert caught.value.errors == [
        "户数“-1”应为不小于 0 的整数",
        "网格代码“33042110220201”前 12 位应为所属村社区代码“330421102201”",
        "边界第 1 个环未闭合：首点 [120.88, 30.94] 与末点 [120.88, 30.95] 不同",
    ]
    assert not Grid.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="grid.").exists()


def test_a_grid_must_belong_to_a_village_not_a_township(tree, actor):
    with pytest.raises(GeoValidationError) as caught:
        save_grid(actor, tree.township, "33042110220101", square(LON, LAT))
    assert "“西塘镇（330421102）”不是村社区级区划，网格只能属于村或社区" in caught.value.errors
