"""`manage.py seed_figures` for 市场监管: the seeds' numbers beside those computed from the records of the figures'
scene (西塘镇) and, for 望亭, of 魏塘街道 (the demo's stand-in), with 无记录 where there is nothing to count."""

import io

import pytest
from django.core.management import call_command

from grassroots.geo.models import Division

from ..models import Inspection
from ..seed_rows import WEITANG, entity_count, seed_rows
from .figures_scene import build_scene
from .support import make_entity

pytestmark = pytest.mark.django_db


def row(what: str) -> tuple[str, str]:
    found = next(r for r in seed_rows() if r.what == what)
    return found.seed_value, found.computed


def test_xitang_problems_and_fines_are_counted_from_its_inspections(world):
    build_scene(world)
    # R2's one finding, C1's two, 计划一 E4's one; fines of ¥2,000 and ¥10,000.
    assert row("西塘镇累计查处问题") == ("65 项", "4")
    assert row("西塘镇处罚金额") == ("20 万元", "12,000.00 元")
    # No 魏塘街道 in this world: nothing to compute from.
    assert row("望亭镇企业数据库（市场主体）")[1] == "无记录"
    assert row("望亭镇双随机结果按时公示率")[1] == "无记录"


def test_weitang_stands_in_for_wangting(world):
    build_scene(world)
    weitang = Division.objects.create(
        code=WEITANG, name="魏塘街道", level="township", kind="town", parent=world.district
    )
    village = Division.objects.create(
        code=f"{WEITANG}001", name="花园社区", level="village", kind="residents", parent=weitang
    )
    for n in range(20, 23):
        make_entity(world, n, region_code=village.code, grid=None)
    assert entity_count(WEITANG) == 3
    assert row("望亭镇企业数据库（市场主体）") == ("1,000+", "3")
    assert row("望亭镇双随机抽取次数") == (
        "未给数字",
        "无记录",
    )  # entities, but no draw and no inspection yet
    assert row("望亭镇行政处罚")[1] == "无记录"


def test_the_draw_rows_count_current_draws_and_their_publication(world, monkeypatch):
    build_scene(world)
    # Read 西塘镇's draws as if they were 望亭's: the same code computes both.
    monkeypatch.setattr("grassroots.market.seed_rows.WEITANG", "330421102")
    assert (
        row("望亭镇双随机抽取次数")[1] == "3"
    )  # 计划二, 计划一 and 计划三's second draw (its first superseded)
    # 计划二 E5, 计划一's four, 计划三 E3; of them 计划一's four were inspected.
    assert row("望亭镇双随机抽中检查对象 / 其中已检查（户次）")[1] == "6 / 4"
    # Of the three, two fell due (计划三's second draw is due in April 2025 … and has fallen due since).
    assert Inspection.objects.filter(kind="random").count() == 7
    assert row("望亭镇双随机结果按时公示率")[1] == "33.33%（1 / 3）"
    assert row("望亭镇行政处罚")[1] == "2 件，12,000.00 元"


def test_the_command_prints_the_market_rows(world):
    build_scene(world)
    out = io.StringIO()
    call_command("seed_figures", stdout=out)
    text = out.getvalue()
    assert "西塘镇累计查处问题" in text and "12,000.00" in text and "望亭镇双随机结果按时公示率" in text
