"""The power list in the personas' world (grassroots/conftest.py), and workbooks written as a person would fill them.

西塘镇 gets its enforcement squad (综合行政执法西塘中队, 330421102-ZFZD) and the platform's office (综合行政执法办公室,
330421102-ZFB), the enforcement platform with that office, and a second township (魏塘街道) with its own squad.
Personas: Petra coordinates 西塘's enforcement platform, Ivan is an inspector of the squad, Sam is the district's
system administrator, Wanda an inspector of 魏塘's squad, Alice (a grid worker) reads only what is published."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from grassroots.conftest import World, make_person
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.choices import AgencyClass, PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..models import Power

POWER_HEADERS = [
    "职权编码", "职权名称", "职权类型", "执法领域", "实施主体编码", "实施主体名称", "违法行为", "设定依据", "处罚依据",
    "是否公布",
]  # fmt: skip
DISCRETION_HEADERS = ["职权编码", "裁量阶次", "适用情形", "最低金额（元）", "最高金额（元）", "处罚标准"]
SQUAD = "330421102-ZFZD"
OTHER_SQUAD = "330421001-ZFZD"


@dataclass
class Cast:
    squad: Unit
    office: Unit
    other_squad: Unit
    petra: Person  # coordinator of 西塘's enforcement platform
    ivan: Person  # inspector of 西塘's squad
    sam: Person  # the district's system administrator
    wanda: Person  # inspector of 魏塘's squad
    alice: Person  # grid worker: no enforcement role


def build_cast(world: World) -> Cast:
    squad = Unit.objects.create(
        code=SQUAD,
        name="综合行政执法西塘中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=world.township,
    )
    office = Unit.objects.create(
        code="330421102-ZFB",
        name="西塘镇综合行政执法办公室",
        kind=UnitKind.TOWNSHIP_OFFICE,
        division=world.township,
    )
    Platform.objects.create(
        township=world.township, kind=PlatformKind.ENFORCEMENT, lead_unit=squad, office=office
    )
    weitang = Division.objects.create(
        code="330421001",
        name="魏塘街道",
        level=DivisionLevel.TOWNSHIP,
        kind=DivisionKind.STREET,
        parent=world.district,
    )
    other = Unit.objects.create(
        code=OTHER_SQUAD,
        name="综合行政执法魏塘中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.B,
        division=weitang,
    )
    return Cast(
        squad=squad,
        office=office,
        other_squad=other,
        petra=make_person("petra", "沈佩佩", Role.PLATFORM_COORDINATOR, unit=office, division=world.township),
        ivan=make_person("ivan", "钱伟", Role.INSPECTOR, unit=squad),
        sam=make_person("sam", "陆军", Role.SYSTEM_ADMIN, division=world.district),
        wanda=make_person("wanda", "王婉", Role.INSPECTOR, unit=other),
        alice=world.alice,
    )


def power_row(code: str, name: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    row = {
        "职权编码": code,
        "职权名称": name,
        "职权类型": "行政处罚",
        "执法领域": "市容环卫",
        "实施主体编码": SQUAD,
        "实施主体名称": "综合行政执法西塘中队",
        "违法行为": "擅自占用城市道路设摊经营",
        "设定依据": "《浙江省城市市容和环境卫生管理条例》第十六条",
        "处罚依据": "《浙江省城市市容和环境卫生管理条例》第四十二条",
        "是否公布": "是",
    }
    row.update(changes or {})
    return row


def table_rows(code: str, low: int = 50, high: int = 500) -> list[dict[str, Any]]:
    """A five-level table cut from the range low–high."""
    first, second = low + (high - low) * 3 // 10, low + (high - low) * 7 // 10
    rows = [
        ("不予处罚", "初次违法且危害后果轻微并及时改正的", None, None, "不予行政处罚，予以教育"),
        ("减轻处罚", "主动消除或者减轻违法行为危害后果的", None, low, f"处 {low} 元以下罚款"),
        ("从轻处罚", "初次违法，情节较轻的", low, first, f"处 {low} 元以上 {first} 元以下罚款"),
        (
            "一般处罚",
            "不具有从轻、减轻或者从重情节的",
            first,
            second,
            f"处 {first} 元以上 {second} 元以下罚款",
        ),
        ("从重处罚", "拒不改正或者一年内再次实施的", second, high, f"处 {second} 元以上 {high} 元以下罚款"),
    ]
    return [
        dict(zip(DISCRETION_HEADERS, (code, level, when, a, b, measure), strict=True))
        for level, when, a, b, measure in rows
    ]


def write_workbook(path: Path, powers: list[dict[str, Any]], discretion: list[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "职权"
    sheet.append(POWER_HEADERS)
    for row in powers:
        sheet.append([row.get(h) for h in POWER_HEADERS])
    sheet = workbook.create_sheet("裁量基准")
    sheet.append(DISCRETION_HEADERS)
    for row in discretion:
        sheet.append([row.get(h) for h in DISCRETION_HEADERS])
    workbook.save(path)
    return path


def good_file(tmp_path: Path, name: str = "权力清单.xlsx") -> Path:
    """Three powers of 西塘's squad: two penalties with a table, one inspection without."""
    powers = [
        power_row("CF33042101001", "对擅自占用城市道路设摊经营的行政处罚"),
        power_row("CF33042101002", "对乱扔烟蒂的行政处罚", {"违法行为": "乱扔烟蒂", "是否公布": "否"}),
        power_row(
            "JC33042101001",
            "对户外广告设施设置的行政检查",
            {"职权类型": "行政检查", "违法行为": "", "处罚依据": ""},
        ),
    ]
    discretion = table_rows("CF33042101001") + table_rows("CF33042101002", 20, 50)
    return write_workbook(tmp_path / name, powers, discretion)


def make_power(unit: Unit, code: str, name: str, **fields: Any) -> Power:
    values: dict[str, Any] = {
        "category": code[:2],
        "field": "市容环卫",
        "violation": name.removeprefix("对").removesuffix("的行政处罚"),
        "basis": "《城市市容和环境卫生管理条例》第十四条",
        "penalty_basis": "《城市市容和环境卫生管理条例》第三十四条" if code.startswith("CF") else "",
        "published": True,
        "discretion": [],
    }
    values.update(fields)
    return Power.objects.create(unit=unit, code=code, name=name, **values)
