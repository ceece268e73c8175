"""The market registry in Chromium: an inspector of the market-supervision office uploads a CSV with a bad row,
reads the row's error in Chinese (nothing imported), uploads the fixed file, finds the entity by name in the list
and opens its credit file with the phone unmasked."""

import pytest

from grassroots.conftest import make_person
from grassroots.market.models import MarketEntity
from grassroots.market.tests.support import IN_GRID_A, uscc
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

HEADING = "统一社会信用代码,名称,法定代表人,联系电话,经度,纬度,行业代码,行业名称,食品经营类别"


def test_an_inspector_fixes_a_bad_row_and_finds_the_entity(world, open_as, tmp_path):
    ivan = make_person("ivan", "钱伟", Role.INSPECTOR, unit=world.agency)
    lon, lat = IN_GRID_A
    good = f"{uscc(1)},嘉善县西塘好味小吃店,沈国强,13905731234,{lon},{lat},H6220,快餐服务,小型餐饮"
    broken_code = uscc(2)[:-1] + ("1" if uscc(2)[-1] == "0" else "0")
    bad_file = tmp_path / "主体.csv"
    bad_file.write_text(
        f"{HEADING}\n{good}\n{broken_code},嘉善县西塘红菱超市,陆芳,13800000000,,,F5212,超级市场零售,食品销售\n"
    )

    page = open_as(ivan)
    page.goto("/market/")
    page.click("text=导入市场主体（CSV / Excel）")
    page.set_input_files("#id_file", str(bad_file))
    page.click("text=检查并导入")
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    assert "发现 1 处错误，未导入任何内容" in errors.inner_text()
    row = errors.locator("tbody tr").first.inner_text()
    assert "第 3 行" in row and "统一社会信用代码" in row and "第 18 位校验码错误" in row
    assert not MarketEntity.objects.exists()

    fixed = tmp_path / "主体（已更正）.csv"
    fixed.write_text(
        f"{HEADING}\n{good}\n{uscc(2)},嘉善县西塘红菱超市,陆芳,13800000000,,,F5212,超级市场零售,食品销售\n"
    )
    page.set_input_files("#id_file", str(fixed))
    page.click("text=检查并导入")
    page.wait_for_url("**/market/")
    assert "新增 2 户" in page.inner_text(".messages")

    page.fill("input[name=q]", "好味")
    page.click("text=查询")
    listing = page.locator("[data-testid=entity-list]")
    assert "嘉善县西塘好味小吃店" in listing.inner_text()
    assert "红菱超市" not in listing.inner_text()
    listing.locator("text=嘉善县西塘好味小吃店").click()
    page.locator("[data-testid=entity-name]").wait_for()
    assert page.inner_text("[data-testid=phone]").startswith("13905731234")
    assert "网格01" in page.inner_text("main")
    assert "B 类" in page.inner_text("[data-testid=risk]")
