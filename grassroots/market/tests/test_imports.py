import io

import pytest
from openpyxl import Workbook

from grassroots.audit.models import AuditEntry

from ..choices import EntityStatus
from ..models import MarketEntity
from ..services.imports import entity_import
from .support import IN_GRID_A, IN_GRID_B, uscc

HEADING = "统一社会信用代码,名称,法定代表人,联系电话,经度,纬度,行业代码,行业名称,登记状态,食品经营类别\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADING + "".join(row + "\n" for row in rows)).encode("utf-8")


def good_row(n: int, *, name: str = "", grid_b: bool = False, status: str = "存续") -> str:
    lon, lat = IN_GRID_B if grid_b else IN_GRID_A
    return f"{uscc(n)},{name or f'西塘镇好味小吃店{n}'},沈国强,13905731234,{lon},{lat},H6210,正餐服务,{status},小型餐饮"


def test_a_good_file_creates_entities_placed_in_their_grids_and_is_audited(world):
    result = entity_import(
        actor=world.dora, data=csv_bytes(good_row(1), good_row(2, grid_b=True)), source="a.csv"
    )

    assert result.ok and result.created == 2
    first, second = MarketEntity.objects.order_by("uscc")
    assert {first.grid_id, second.grid_id} == {world.grid_a.pk, world.grid_b.pk}
    assert {first.region_code, second.region_code} == {world.village_a.code, world.village_b.code}
    assert first.kind == "enterprise" and first.food_class == "catering_small"
    assert first.risk_class == "B"  # small catering: +1
    audit = AuditEntry.objects.get(action="marketentity.import")
    assert audit.detail["created"] == 2


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates_its_entity(world):
    data = csv_bytes(good_row(1), good_row(2))
    entity_import(actor=world.dora, data=data, source="a.csv")
    again = entity_import(actor=world.dora, data=data, source="a.csv")
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)

    changed = entity_import(actor=world.dora, data=csv_bytes(good_row(1, status="注销")), source="b.csv")
    assert (changed.created, changed.changed) == (0, 1)
    entity = MarketEntity.objects.get(uscc=uscc(1))
    assert entity.status == EntityStatus.DEREGISTERED and entity.version == 2
    assert MarketEntity.objects.count() == 2


def test_every_bad_row_is_listed_and_nothing_is_written(world):
    bad_check = uscc(3)[:-1] + ("0" if uscc(3)[-1] != "0" else "1")
    other_county = uscc(4, division="110105")
    rows = [
        good_row(1),
        bad_check + ",坏校验码商店,,,,,,,,",
        other_county + ",外地商店,,,,,,,,",
        f"{uscc(5)},行业码错误,,,,,62AB,,,",
        f"{uscc(6)},状态错误,,,,,,,歇业,",
        f"{uscc(7)},坐标错误,,,200,30.9,,,,",
        f"{uscc(8)},坐标不是数字,,,东经120度,30.9,,,,",
        good_row(1, name="重复的代码"),
    ]
    result = entity_import(actor=world.dora, data=csv_bytes(*rows), source="bad.csv")

    assert not result.ok
    got = {(e.row, e.column, e.message) for e in result.errors}
    assert (3, "统一社会信用代码", "第 18 位校验码错误") in got
    assert (4, "统一社会信用代码", "第 3–8 位行政区划码“110105”不是现行有效的县级区划") in got
    assert any(row == 5 and col == "行业代码" and "GB/T 4754" in msg for row, col, msg in got)
    assert any(row == 6 and col == "登记状态" and "歇业" in msg for row, col, msg in got)
    assert any(row == 7 and col == "经度" and "不在中国境内" in msg for row, col, msg in got)
    assert any(row == 8 and col == "经度" and "不是数字" in msg for row, col, msg in got)
    assert (9, "统一社会信用代码", "与第 2 行重复") in got
    assert not any(row == 2 for row, _, _ in got)
    assert MarketEntity.objects.count() == 0
    assert not AuditEntry.objects.filter(action="marketentity.import").exists()


def test_a_file_without_the_required_columns_is_refused_as_a_whole(world):
    result = entity_import(actor=world.dora, data="名称,电话\n某店,1\n".encode(), source="x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(1, "统一社会信用代码"), (1, "电话")]


@pytest.mark.parametrize("source", ["a.txt", "a.xls"])
def test_only_csv_and_xlsx_files_are_read(world, source):
    result = entity_import(actor=world.dora, data=csv_bytes(good_row(1)), source=source)
    assert result.errors[0].message == "只能导入 CSV（.csv）或 Excel（.xlsx）文件"


def test_an_excel_file_is_read_like_a_csv(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "名称", "主体类型", "成立日期", "重点监管标签"])
    sheet.append([uscc(9, kind="2"), "西塘镇张记面馆", None, "2021-03-05", "冷链食品、学校食堂"])
    buffer = io.BytesIO()
    book.save(buffer)

    result = entity_import(actor=world.dora, data=buffer.getvalue(), source="entities.xlsx")

    assert result.ok, result.errors
    entity = MarketEntity.objects.get()
    assert entity.kind == "individual"  # from the code's second character
    assert entity.key_tags == ["cold_chain", "school_canteen"]
    assert str(entity.registered_on) == "2021-03-05"
