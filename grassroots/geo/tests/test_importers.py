"""Importing divisions and grids from GeoJSON and CSV: a bad file is rejected whole, with every problem listed."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.audit.models import AuditEntry
from grassroots.geo.importers import import_divisions, import_grids
from grassroots.geo.models import Division, Grid
from grassroots.geo.services import GeoValidationError

from .conftest import LAT, LON, feature, square, square_wkt, write_csv, write_geojson

DIVISIONS = [
    # Children before their parents on purpose: the importer sorts by code length.
    {"code": "330421102201", "name": "红菱村", "kind": "villagers", "parent_code": "330421102"},
    {"code": "330421102", "name": "西塘镇", "kind": "town", "parent_code": "330421"},
    {"code": "330421", "name": "嘉善县", "kind": "county", "parent_code": ""},
    {"code": "330421102001", "name": "西塘社区", "kind": "居委会", "parent_code": "330421102"},
]
DIVISION_HEADER = ["code", "name", "kind", "parent_code"]
GRID_HEADER = ["code", "name", "village_code", "households", "kind", "wkt"]


def grid_feature(code, lon, lat, *, village_code=None, households=150, kind="rural", geometry=None):
    properties = {
        "code": code,
        "name": f"网格{code[-2:]}",
        "village_code": village_code or code[:12],
        "households": households,
        "kind": kind,
    }
    return feature(properties, geometry or square(lon, lat))


def rejection(run, **kwargs):
    with pytest.raises(GeoValidationError) as caught:
        run(**kwargs)
    return caught.value.errors


@pytest.fixture
def divisions(tmp_path, actor):
    import_divisions(
        actor=actor, path=write_geojson(tmp_path / "divisions.geojson", [feature(d) for d in DIVISIONS])
    )


def parent_code(code):
    return Division.objects.filter(code=code).values_list("parent__code", flat=True).get()


def snapshot():
    return (
        list(Division.objects.values_list("code", "name")),
        list(Grid.objects.values_list("code", "households", "boundary")),
        AuditEntry.objects.count(),
    )


# Good files


def test_divisions_import_from_geojson_with_parents_after_children(tmp_path, actor):
    path = write_geojson(tmp_path / "d.geojson", [feature(d, square(LON, LAT)) for d in DIVISIONS])
    summary = import_divisions(actor=actor, path=path)
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    assert parent_code("330421102201") == "330421102"
    assert parent_code("330421102") == "330421"
    assert Division.objects.get(code="330421102001").kind == "residents"  # the Chinese label was accepted


def test_divisions_import_from_csv(tmp_path, actor):
    rows = [[d["code"], d["name"], d["kind"], d["parent_code"]] for d in DIVISIONS]
    summary = import_divisions(actor=actor, path=write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows))
    assert summary.created == 4
    assert parent_code("330421102") == "330421"


def test_grids_import_from_geojson(tmp_path, actor, divisions):
    features = [grid_feature("33042110220101", LON, LAT), grid_feature("33042110220102", LON + 0.01, LAT)]
    summary = import_grids(actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert summary.created == 2
    grid = Grid.objects.get(code="33042110220102")
    assert grid.village.code == "330421102201"
    assert grid.min_lon == pytest.approx(LON + 0.01)


def test_grids_import_from_csv_with_wkt_or_geojson_boundaries(tmp_path, actor, divisions):
    header = [*GRID_HEADER, "geojson"]
    rows = [
        ["33042110220101", "网格01", "330421102201", "150", "rural", square_wkt(LON, LAT), ""],
        [
            "33042110220102",
            "网格02",
            "330421102201",
            "300",
            "城市网格",
            "",
            json.dumps(square(LON + 0.01, LAT)),
        ],
    ]
    summary = import_grids(actor=actor, path=write_csv(tmp_path / "g.csv", header, rows))
    assert summary.created == 2
    assert Grid.objects.get(code="33042110220102").kind == "urban"
    assert Grid.objects.get(code="33042110220101").boundary == square(LON, LAT)


def test_a_utf8_file_with_a_byte_order_mark_is_accepted(tmp_path, actor):
    rows = [[d["code"], d["name"], d["kind"], d["parent_code"]] for d in DIVISIONS]
    path = write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows, encoding="utf-8-sig")
    assert import_divisions(actor=actor, path=path).created == 4


def test_importing_the_same_file_again_changes_nothing(tmp_path, actor, divisions):
    path = write_geojson(tmp_path / "g.geojson", [grid_feature("33042110220101", LON, LAT)])
    import_grids(actor=actor, path=path)
    before = AuditEntry.objects.filter(action="grid.update").count()
    summary = import_grids(actor=actor, path=path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.filter(action="grid.update").count() == before


def test_an_import_updates_a_grid_by_code_and_may_move_it_onto_its_old_place(tmp_path, actor, divisions):
    import_grids(
        actor=actor, path=write_geojson(tmp_path / "a.geojson", [grid_feature("33042110220101", LON, LAT)])
    )
    # The stored boundary of grid 01 is replaced, so grid 02 may take its old place.
    moved = [grid_feature("33042110220101", LON + 0.01, LAT), grid_feature("33042110220102", LON, LAT)]
    summary = import_grids(actor=actor, path=write_geojson(tmp_path / "b.geojson", moved))
    assert (summary.created, summary.updated) == (1, 1)
    assert Grid.objects.get(code="33042110220101").min_lon == pytest.approx(LON + 0.01)
    assert AuditEntry.objects.get(action="grid.update").detail == {
        "import": "b.geojson",
        "fields": ["boundary"],
    }


def test_an_import_writes_an_audit_row_per_grid_and_one_for_the_file(tmp_path, actor, divisions):
    features = [grid_feature("33042110220101", LON, LAT), grid_feature("33042110220102", LON + 0.01, LAT)]
    import_grids(actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    created = AuditEntry.objects.filter(action="grid.create")
    assert sorted(created.values_list("object_repr", flat=True)) == [
        "网格01（33042110220101）",
        "网格02（33042110220102）",
    ]
    assert {entry.actor for entry in created} == {actor}
    summary = AuditEntry.objects.get(action="grid.import")
    assert summary.detail == {"file": "g.geojson", "created": 2, "updated": 0, "unchanged": 0}
    assert AuditEntry.objects.filter(action="division.create").count() == 4
    assert AuditEntry.objects.filter(action="division.import").count() == 1


def test_a_dry_run_checks_the_file_and_writes_nothing(tmp_path, actor, divisions):
    before = snapshot()
    path = write_geojson(tmp_path / "g.geojson", [grid_feature("33042110220101", LON, LAT)])
    summary = import_grids(actor=actor, path=path, dry_run=True)
    assert (summary.created, summary.dry_run) == (1, True)
    assert snapshot() == before


# Rejected files


def test_a_self_intersecting_boundary_is_rejected_by_feature_number(tmp_path, actor, divisions):
    bow_tie = [[LON, LAT], [LON + 0.01, LAT + 0.01], [LON + 0.01, LAT], [LON, LAT + 0.01], [LON, LAT]]
    features = [
        grid_feature("33042110220101", LON, LAT),
        grid_feature(
            "33042110220102", LON + 0.02, LAT, geometry={"type": "Polygon", "coordinates": [bow_tie]}
        ),
    ]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 2 个要素：边界自相交，位置约在经度 120.885、纬度 30.945"]


def test_an_unclosed_ring_in_wkt_is_rejected_by_line_number(tmp_path, actor, divisions):
    rows = [
        ["33042110220101", "网格01", "330421102201", "150", "rural", square_wkt(LON, LAT)],
        ["33042110220102", "网格02", "330421102201", "150", "rural", "POLYGON((120.9 30.94, 120.91 30.94, 120.91 30.95))"],
    ]  # fmt: skip
    errors = rejection(import_grids, actor=actor, path=write_csv(tmp_path / "g.csv", GRID_HEADER, rows))
    assert errors == ["第 3 行：边界 WKT 的环未闭合（首尾坐标不同）"]


def test_non_numeric_coordinates_are_rejected(tmp_path, actor, divisions):
    ring = square(LON, LAT)["coordinates"][0]
    ring[1] = ["东经120度", LAT]
    features = [grid_feature("33042110220101", LON, LAT, geometry={"type": "Polygon", "coordinates": [ring]})]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 1 个要素：边界第 1 个环含有非数字坐标 ['东经120度', 30.94]"]


def test_non_numeric_coordinates_in_wkt_are_rejected(tmp_path, actor, divisions):
    rows = [["33042110220101", "网格01", "330421102201", "150", "rural", "POLYGON((120.88 30.94, a 30.94, 120.89 30.95, 120.88 30.94))"]]  # fmt: skip
    errors = rejection(import_grids, actor=actor, path=write_csv(tmp_path / "g.csv", GRID_HEADER, rows))
    assert errors == ["第 2 行：边界 WKT 含有非数字坐标（Expected number but encountered word: 'a'）"]


def test_grids_overlapping_each_other_in_the_file_are_rejected(tmp_path, actor, divisions):
    features = [grid_feature("33042110220101", LON, LAT), grid_feature("33042110220102", LON + 0.005, LAT)]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert len(errors) == 1
    assert errors[0].startswith("第 2 个要素：与第 1 个要素的网格“33042110220101”重叠约 ")
    assert errors[0].endswith(" 平方米")


def test_a_grid_overlapping_a_stored_grid_is_rejected(tmp_path, actor, divisions):
    import_grids(
        actor=actor, path=write_geojson(tmp_path / "a.geojson", [grid_feature("33042110220101", LON, LAT)])
    )
    inside = grid_feature(
        "33042110220102", LON + 0.002, LAT + 0.002, geometry=square(LON + 0.002, LAT + 0.002, 0.001)
    )
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "b.geojson", [inside]))
    assert errors == ["第 1 个要素：与已有网格“网格01（33042110220101）”重叠约 10,605 平方米"]


def test_grids_that_only_touch_are_accepted(tmp_path, actor, divisions):
    # Corner to corner and edge to edge.
    features = [
        grid_feature("33042110220101", LON, LAT),
        grid_feature("33042110220102", LON + 0.01, LAT),
        grid_feature("33042110220103", LON + 0.02, LAT + 0.01),
    ]
    assert import_grids(actor=actor, path=write_geojson(tmp_path / "g.geojson", features)).created == 3


def test_an_unknown_parent_code_is_rejected(tmp_path, actor):
    rows = [
        ["330421", "嘉善县", "county", ""],
        ["330421102", "西塘镇", "town", "330421"],
        ["330421103201", "不存在的村", "villagers", "330421103"],
    ]
    errors = rejection(
        import_divisions, actor=actor, path=write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows)
    )
    assert errors == ["第 4 行：上级区划代码“330421103”不存在（数据库和本文件中都没有）"]


def test_an_unknown_village_code_is_rejected(tmp_path, actor, divisions):
    features = [grid_feature("33042110220301", LON, LAT)]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 1 个要素：所属村社区代码“330421102203”不存在"]


def test_wrong_code_lengths_are_rejected(tmp_path, actor, divisions):
    rows = [["3304211", "错误", "county", ""]]
    errors = rejection(
        import_divisions, actor=actor, path=write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows)
    )
    assert errors == ["第 2 行：区划代码“3304211”长度为 7 位，应为 6、9 或 12 位"]
    features = [grid_feature("3304211022010", LON, LAT, village_code="330421102201")]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 1 个要素：网格代码“3304211022010”应为 14 位数字"]


def test_a_township_number_outside_its_kinds_range_is_rejected(tmp_path, actor):
    rows = [["330421", "嘉善县", "county", ""], ["330421250", "西塘镇", "town", "330421"]]
    errors = rejection(
        import_divisions, actor=actor, path=write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows)
    )
    assert errors == ["第 3 行：区划代码“330421250”末三位 250 不在“镇”的范围 100–199 内"]


def test_a_duplicate_code_is_rejected_where_it_repeats(tmp_path, actor, divisions):
    features = [grid_feature("33042110220101", LON, LAT), grid_feature("33042110220101", LON + 0.01, LAT)]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 2 个要素：代码“33042110220101”与第 1 个要素重复"]


def test_a_missing_column_is_rejected(tmp_path, actor):
    path = write_csv(tmp_path / "d.csv", ["code", "name", "parent_code"], [["330421", "嘉善县", ""]])
    errors = rejection(import_divisions, actor=actor, path=path)
    assert errors == ["缺少列：kind（表头为：code、name、parent_code；CSV 第 1 行应为表头）"]


def test_a_grid_csv_without_a_boundary_column_is_rejected(tmp_path, actor):
    path = write_csv(
        tmp_path / "g.csv", GRID_HEADER[:-1], [["33042110220101", "网格01", "330421102201", "1", "rural"]]
    )
    errors = rejection(import_grids, actor=actor, path=path)
    assert errors[0].startswith("缺少列：wkt 或 geojson")


def test_a_missing_property_is_rejected_by_feature_number(tmp_path, actor, divisions):
    incomplete = grid_feature("33042110220102", LON + 0.01, LAT)
    del incomplete["properties"]["households"]
    features = [grid_feature("33042110220101", LON, LAT), incomplete]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert errors == ["第 2 个要素：缺少属性：households"]


def test_a_row_with_the_wrong_number_of_cells_is_rejected(tmp_path, actor):
    path = write_csv(tmp_path / "d.csv", DIVISION_HEADER, [["330421", "嘉善县", "county", "", "多余"]])
    assert rejection(import_divisions, actor=actor, path=path) == ["第 2 行：有 5 列，表头有 4 列"]


def test_bad_json_is_rejected_with_its_position(tmp_path, actor):
    path = tmp_path / "d.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [\n  {"type": "Feature",}\n]}')
    errors = rejection(import_divisions, actor=actor, path=path)
    assert errors == [
        "不是有效的 JSON：第 2 行第 22 列附近有语法错误（Expecting property name enclosed in double quotes）"
    ]


def test_json_that_is_not_a_feature_collection_is_rejected(tmp_path, actor):
    path = tmp_path / "d.geojson"
    path.write_text(json.dumps([{"code": "330421"}]))
    errors = rejection(import_divisions, actor=actor, path=path)
    assert errors[0].startswith("不是 GeoJSON 要素集合")


def test_a_gbk_file_is_rejected_with_a_clear_message(tmp_path, actor):
    rows = [[d["code"], d["name"], d["kind"], d["parent_code"]] for d in DIVISIONS]
    path = write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows, encoding="gbk")
    errors = rejection(import_divisions, actor=actor, path=path)
    assert errors == [
        "文件是 GBK/GB18030 编码，不是 UTF-8（Excel 默认这样保存 CSV）。"
        "请用 Excel“另存为 → CSV UTF-8（逗号分隔）”或在文本编辑器中转为 UTF-8 后重新导入"
    ]


def test_an_empty_file_is_rejected(tmp_path, actor):
    path = tmp_path / "d.csv"
    path.write_text("\n")
    assert rejection(import_divisions, actor=actor, path=path) == ["文件为空"]


def test_every_problem_in_a_file_is_listed_in_file_order(tmp_path, actor, divisions):
    features = [
        grid_feature("33042110220101", LON, LAT, households="很多"),
        {"type": "Feature"},
        grid_feature("33042110220102", LON + 0.005, LAT),
        grid_feature("33042110220101", LON + 0.05, LAT, kind="suburban"),
    ]
    errors = rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "g.geojson", features))
    assert [error.split("：")[0] for error in errors] == [
        "第 1 个要素",
        "第 2 个要素",
        "第 3 个要素",
        "第 4 个要素",
        "第 4 个要素",
    ]
    assert errors[0] == "第 1 个要素：户数“很多”应为不小于 0 的整数"
    assert errors[1] == '第 2 个要素：不是有效的 Feature（应有 "type": "Feature" 和 properties 对象）'
    assert "重叠" in errors[2]
    assert errors[3] == "第 4 个要素：代码“33042110220101”与第 1 个要素重复"
    assert errors[4].startswith("第 4 个要素：网格类型“suburban”无效")


def test_a_rejected_file_leaves_the_database_unchanged(tmp_path, actor, divisions):
    import_grids(
        actor=actor, path=write_geojson(tmp_path / "a.geojson", [grid_feature("33042110220101", LON, LAT)])
    )
    before = snapshot()
    features = [
        grid_feature("33042110220101", LON, LAT, households=999),  # a valid update...
        grid_feature("33042110220102", LON + 0.01, LAT),  # ...and a valid new grid...
        grid_feature("33042110220301", LON + 0.02, LAT),  # ...do not go in beside an unknown village
    ]
    rejection(import_grids, actor=actor, path=write_geojson(tmp_path / "b.geojson", features))
    assert snapshot() == before


def test_an_existing_division_cannot_change_kind_through_an_import(tmp_path, actor, divisions):
    rows = [["330421102", "西塘镇", "street", "330421"]]
    errors = rejection(
        import_divisions, actor=actor, path=write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows)
    )
    assert "第 2 行：区划代码“330421102”已存在（类型“town”，上级“330421”），导入只能修改名称" in errors


# The management command


def test_the_command_prints_a_chinese_summary(tmp_path, actor, capsys):
    rows = [[d["code"], d["name"], d["kind"], d["parent_code"]] for d in DIVISIONS]
    path = write_csv(tmp_path / "d.csv", DIVISION_HEADER, rows)
    call_command("import_geo", "divisions", str(path), "--actor", "oscar")
    assert "区划导入完成（d.csv）：新增 4 个，更新 0 个，未变 0 个，共 4 个。" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="division.import").actor == actor


def test_the_command_fails_listing_every_problem(tmp_path, actor, divisions):
    features = [
        grid_feature("3304211022010", LON, LAT, village_code="330421102201"),
        grid_feature("33042110220301", LON + 0.01, LAT, households=-5),
    ]
    path = write_geojson(tmp_path / "g.geojson", features)
    with pytest.raises(CommandError) as caught:
        call_command("import_geo", "grids", str(path))
    assert str(caught.value) == (
        "网格文件“g.geojson”被拒绝，未导入任何数据。共 3 个问题：\n"
        "  第 1 个要素：网格代码“3304211022010”应为 14 位数字\n"
        "  第 2 个要素：户数“-5”应为不小于 0 的整数\n"
        "  第 2 个要素：所属村社区代码“330421102203”不存在"
    )
    assert not Grid.objects.exists()
