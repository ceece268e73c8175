"""The power list's Excel import and export: every bad row listed with its sheet, row, column and a Chinese message
and nothing written; a good file written once (a second import changes nothing); export then import is no change;
and publishing a power, with its rules."""

import io
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, Forbidden, InvalidInput

from ..models import Power
from ..services import powers_io
from ..services.powers_io import powers_export, powers_import
from ..services.powers_publish import power_publish, power_unpublish
from ..services.powers_rules import LEVEL_ORDER, discretion_problems
from .powers_files import (
    OTHER_SQUAD,
    SQUAD,
    Cast,
    build_cast,
    good_file,
    make_power,
    power_row,
    table_rows,
    write_workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world) -> Cast:
    return build_cast(world)


def _import(cast: Cast, path: Path, actor=None):
    return powers_import(actor=actor or cast.petra, data=path.read_bytes(), source=path.name)


def test_a_good_file_is_written_with_its_discretion_tables_and_audited(cast, tmp_path):
    result = _import(cast, good_file(tmp_path))
    assert result.ok, result.errors
    assert result.created == ["CF33042101001", "CF33042101002", "JC33042101001"]
    power = Power.objects.get(code="CF33042101001")
    assert power.unit == cast.squad and power.category == "CF" and power.published
    assert [row["level"] for row in power.discretion] == LEVEL_ORDER
    assert power.discretion[2] == {
        "level": "lighter",
        "circumstances": "初次违法，情节较轻的",
        "min": 50,
        "max": 185,
        "measure": "处 50 元以上 185 元以下罚款",
    }
    assert not Power.objects.get(code="CF33042101002").published
    assert Power.objects.get(code="JC33042101001").discretion == []
    entry = AuditEntry.objects.get(action="power.import")
    assert entry.actor_id == cast.petra.pk and entry.result == "ok"
    assert entry.detail["created"] == 3 and entry.detail["changed"] == 0 and entry.detail["unchanged"] == 0


def test_every_bad_row_is_listed_with_sheet_row_and_column_and_nothing_is_written(cast, tmp_path):
    powers = [
        power_row("CF33042101001", "对擅自占用城市道路设摊经营的行政处罚"),  # row 2: good
        power_row("XX1", "编码格式错误"),  # row 3
        power_row("CF33042101003", "类型未知", {"职权类型": "行政许可"}),  # row 4
        power_row("CF33042101004", "主体不存在", {"实施主体编码": "330421102-NONE"}),  # row 5
        power_row("CF33042101001", "编码重复"),  # row 6
        power_row("QZ33042101001", "前缀与类型不符"),  # row 7: QZ code, 行政处罚 category
        power_row("CF33042101007", "公布但缺少罚则", {"处罚依据": ""}),  # row 8
        power_row("CF33042101008", "别处的主体", {"实施主体编码": OTHER_SQUAD}),  # row 9
        power_row("CF33042101009", "裁量基准有误的职权"),  # row 10
    ]
    good = table_rows("CF33042101001")
    bad = [
        {**good[0], "裁量阶次": "特别从重"},  # row 7 of the discretion sheet
        {**good[2], "职权编码": "CF33042101009", "最低金额（元）": 300, "最高金额（元）": 100},  # row 8
        {**good[3], "职权编码": "CF33042101009", "最高金额（元）": -5},  # row 9: negative
        {**good[4], "职权编码": "CF33042109999"},  # row 10: a power not in the file
    ]
    path = write_workbook(tmp_path / "有错.xlsx", powers, good + bad)
    result = _import(cast, path)
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    expected = {
        ("职权", 3, "职权编码"): "格式不正确",
        ("职权", 4, "职权类型"): "未知的职权类型“行政许可”",
        ("职权", 5, "实施主体编码"): "实施主体编码 330421102-NONE 不存在",
        ("职权", 6, "职权编码"): "与第 2 行重复",
        ("职权", 7, "职权编码"): "应以职权类型代码 CF 开头",
        ("职权", 8, "处罚依据"): "须填写处罚依据",
        ("职权", 9, "实施主体编码"): "不在您管理的区域内",
        ("裁量基准", 7, "裁量阶次"): "未知的裁量阶次“特别从重”",
        ("裁量基准", 8, "最低金额（元）"): "最低金额 300 元高于最高金额 100 元",
        ("裁量基准", 9, "最高金额（元）"): "不能为负数",
        ("裁量基准", 10, "职权编码"): "不在“职权”工作表中",
    }
    for key, words in expected.items():
        assert key in found, (key, found)
        assert words in found[key], (key, found[key])
    assert len(result.errors) == len(expected), found
    assert not Power.objects.exists()
    entry = AuditEntry.objects.get(action="power.import")
    assert entry.result == "failed" and entry.detail["errors"] == len(expected)


def test_levels_must_climb_by_their_maximum_and_appear_once(cast, tmp_path):
    rows = table_rows("CF33042101001", 100, 1000)
    rows[3]["最高金额（元）"] = 200  # 一般 below 从轻 (370)
    rows[3]["最低金额（元）"] = 150
    rows.append({**rows[1]})  # 减轻 again
    path = write_workbook(tmp_path / "阶次.xlsx", [power_row("CF33042101001", "对设摊经营的行政处罚")], rows)
    errors = {(e.row, e.column): e.message for e in _import(cast, path).errors}
    assert "一般处罚的最高金额 200 元低于从轻处罚的 370 元" in errors[(5, "最高金额（元）")]
    assert "减轻处罚已在本职权的裁量基准中出现过" in errors[(7, "裁量阶次")]
    assert not Power.objects.exists()


def test_not_published_powers_may_lack_the_penalty_basis_and_no_fine_goes_with_no_penalty(cast, tmp_path):
    rows = table_rows("CF33042101001")
    rows[0]["最高金额（元）"] = 100
    powers = [power_row("CF33042101001", "对设摊经营的行政处罚", {"处罚依据": "", "是否公布": "否"})]
    errors = _import(cast, write_workbook(tmp_path / "x.xlsx", powers, rows)).errors
    assert [(e.row, e.column) for e in errors] == [(2, "最高金额（元）")]
    assert "不予处罚的阶次不设罚款金额" in errors[0].message


def test_importing_the_same_file_twice_changes_nothing_and_a_changed_row_is_updated(cast, tmp_path):
    path = good_file(tmp_path)
    assert _import(cast, path).ok
    stamps = dict(Power.objects.values_list("code", "updated_at"))
    again = _import(cast, path)
    assert again.ok and again.created == [] and again.changed == [] and len(again.unchanged) == 3
    assert dict(Power.objects.values_list("code", "updated_at")) == stamps

    powers = [
        power_row("CF33042101001", "对擅自占用城市道路设摊经营的行政处罚", {"执法领域": "城市管理"}),
        power_row("CF33042101002", "对乱扔烟蒂的行政处罚", {"违法行为": "乱扔烟蒂", "是否公布": "否"}),
    ]
    discretion = table_rows("CF33042101001") + table_rows("CF33042101002", 20, 60)
    changed = _import(cast, write_workbook(tmp_path / "改.xlsx", powers, discretion))
    assert changed.changed == ["CF33042101001", "CF33042101002"] and changed.created == []
    assert Power.objects.get(code="CF33042101001").field == "城市管理"
    assert Power.objects.get(code="CF33042101002").discretion[-1]["max"] == 60
    assert Power.objects.get(code="JC33042101001").updated_at == stamps["JC33042101001"]  # not in the file
    last = AuditEntry.objects.filter(action="power.import").order_by("-id").first()
    assert (
        last is not None and last.detail["changed"] == 2 and last.detail["changed_codes"] == changed.changed
    )


def test_a_code_another_import_wrote_meanwhile_fails_the_whole_file(cast, tmp_path, monkeypatch):
    real = Power.objects.bulk_create

    def racing(objs, **kwargs):
        make_power(cast.squad, "CF33042101002", "另一次导入先写入的职权")  # after this import read the codes
        return real(objs, **kwargs)

    monkeypatch.setattr(Power.objects, "bulk_create", racing)
    result = _import(cast, good_file(tmp_path))
    assert [e.message for e in result.errors] == [
        "另一次导入同时写入了相同的职权编码，本次未导入任何内容，请重新上传"
    ]
    assert not Power.objects.filter(code="CF33042101001").exists()
    assert AuditEntry.objects.get(action="power.import").result == "failed"


def test_export_then_import_changes_nothing(cast, tmp_path):
    make_power(
        cast.squad,
        "CF33042101001",
        "对擅自占用城市道路设摊经营的行政处罚",
        violation="=SUM(A1:A2) 看起来像公式的文字",
        discretion=[  # heaviest first, amounts as floats: the stored order and form do not matter
            {"level": "heavier", "circumstances": "再次违法", "min": 350.0, "max": 500, "measure": "处罚款"},
            {"level": "lighter", "circumstances": "情节较轻", "min": 50, "max": 185.5, "measure": "处罚款"},
        ],
    )
    make_power(cast.squad, "QZ33042101001", "扣押违法设摊经营的物品和工具", published=False)
    data = powers_export(actor=cast.ivan, powers=Power.objects.all())
    sheet = load_workbook(io.BytesIO(data))["职权"]
    assert sheet["G2"].value == "=SUM(A1:A2) 看起来像公式的文字" and sheet["G2"].data_type == "s"
    assert sheet["F2"].value == "综合行政执法西塘中队"
    result = powers_import(actor=cast.petra, data=data, source="导出.xlsx")
    assert result.ok, result.errors
    assert result.changed == [] and result.created == [] and len(result.unchanged) == 2
    assert AuditEntry.objects.filter(action="power.export", actor_id=cast.ivan.pk).exists()


def test_the_empty_template_has_both_sheets_and_every_column(cast):
    workbook = load_workbook(io.BytesIO(powers_export(actor=cast.sam, powers=Power.objects.none())))
    assert workbook.sheetnames == ["职权", "裁量基准"]
    assert [c.value for c in workbook["裁量基准"][1]] == [
        "职权编码",
        "裁量阶次",
        "适用情形",
        "最低金额（元）",
        "最高金额（元）",
        "处罚标准",
    ]


def test_the_upload_is_checked_for_type_size_and_rows(cast, tmp_path, settings, monkeypatch):
    def errors(data: bytes, name: str = "清单.xlsx") -> list[str]:
        return [e.message for e in powers_import(actor=cast.petra, data=data, source=name).errors]

    assert errors(b"code,name\n", "清单.csv") == ["只能上传 Excel 文件（.xlsx）"]
    assert errors(b"not a zip at all") == ["文件内容不是 Excel（.xlsx）格式"]
    assert errors(b"PK\x03\x04 broken") == ["文件无法读取：请上传由 Excel 保存的 .xlsx 文件"]
    settings.POWERS_IMPORT_MAX_BYTES = 10
    assert errors(good_file(tmp_path).read_bytes()) == ["文件过大：不得超过 0 MB"]
    del settings.POWERS_IMPORT_MAX_BYTES
    monkeypatch.setitem(powers_io.MAX_ROWS, "裁量基准", 4)
    assert errors(good_file(tmp_path).read_bytes()) == ["行数过多：此工作表最多 4 行"]
    assert not Power.objects.exists()


def test_a_missing_sheet_or_column_is_named(cast, tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", [power_row("CF33042101001", "对设摊经营的行政处罚")], [])
    workbook = load_workbook(path)
    del workbook["裁量基准"]
    workbook["职权"].delete_cols(3)  # 职权类型
    workbook.save(path)
    found = [(e.sheet, e.row, e.message) for e in _import(cast, path).errors]
    assert ("职权", 1, "缺少列：职权类型") in found
    assert ("裁量基准", 0, "缺少工作表“裁量基准”") in found


def test_a_coordinator_imports_only_their_townships_units_and_the_admin_the_districts(cast, tmp_path):
    other = write_workbook(
        tmp_path / "魏塘.xlsx",
        [power_row("CF33042101001", "对设摊经营的行政处罚", {"实施主体编码": OTHER_SQUAD})],
        table_rows("CF33042101001"),
    )
    assert "不在您管理的区域内" in _import(cast, other).errors[0].message
    assert _import(cast, other, actor=cast.sam).ok
    cast.squad.is_active = False
    cast.squad.save()
    errors = _import(cast, good_file(tmp_path), actor=cast.sam).errors
    assert {e.message for e in errors} == {f"实施主体 {SQUAD} 已停用"}


def test_publishing_needs_a_manager_the_penalty_basis_and_a_sound_table(cast):
    power = make_power(cast.squad, "CF33042101001", "对设摊经营的行政处罚", published=False, penalty_basis="")
    with pytest.raises(InvalidInput) as refused:
        power_publish(actor=cast.petra, power=power)
    assert refused.value.code == "power_penalty_basis_missing"
    power.penalty_basis = "《浙江省城市市容和环境卫生管理条例》第四十二条"
    power.save()
    with pytest.raises(Forbidden):
        power_publish(actor=cast.ivan, power=power)
    with pytest.raises(Forbidden):
        power_publish(actor=cast.wanda, power=power)
    power_publish(actor=cast.petra, power=power)
    assert Power.objects.get(pk=power.pk).published
    with pytest.raises(Conflict):
        power_publish(actor=cast.sam, power=power)
    power_unpublish(actor=cast.sam, power=power)
    assert not Power.objects.get(pk=power.pk).published
    actions = list(
        AuditEntry.objects.filter(object_id=str(power.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["power.publish", "power.unpublish"]


AMOUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=100_000))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(AMOUNTS, min_size=4, max_size=4))
def test_a_table_is_out_of_order_exactly_when_a_heavier_maximum_is_below_a_lighter_one(maxima):
    rows = [
        {"level": level, "circumstances": "情形", "min": None, "max": high, "measure": ""}
        for level, high in zip(LEVEL_ORDER[1:], maxima, strict=True)
    ]
    codes = [p.code for p in discretion_problems(rows)]
    given_maxima = [m for m in maxima if m is not None]
    climbing = all(a <= b for a, b in itertools.pairwise(given_maxima))
    assert ("discretion_levels_out_of_order" not in codes) == climbing
