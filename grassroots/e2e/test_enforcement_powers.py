"""The power list in Chromium: the coordinator of 西塘's enforcement platform uploads a workbook with a bad discretion
row, reads the row's error in Chinese (nothing imported), uploads the fixed file, finds the power by searching the
list and opens it with its discretion table; a resident then finds it on the public page from a phone."""

import pytest

from grassroots.enforcement.models import Power
from grassroots.enforcement.tests.powers_files import build_cast, power_row, table_rows, write_workbook

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_coordinator_fixes_a_bad_row_and_finds_the_power(world, open_as, tmp_path):
    cast = build_cast(world)
    powers = [
        power_row("CF33042101001", "对擅自占用城市道路设摊经营的行政处罚"),
        power_row(
            "CF33042104001", "对露天烧烤食品的行政处罚", {"执法领域": "环境保护", "违法行为": "露天烧烤食品"}
        ),
    ]
    broken = table_rows("CF33042104001", 5000, 20000)
    broken[3]["最低金额（元）"], broken[3]["最高金额（元）"] = 16000, 15000  # 一般: min above max
    bad_file = write_workbook(tmp_path / "权力清单.xlsx", powers, table_rows("CF33042101001") + broken)

    page = open_as(cast.petra)
    page.goto("/enforcement/powers/")
    page.click("[data-testid=powers-import]")
    page.set_input_files("#id_file", str(bad_file))
    page.click("text=检查并导入")
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    assert "发现 1 处错误，未导入任何内容" in errors.inner_text()
    row = errors.locator("tbody tr").first.inner_text()
    assert "裁量基准" in row and "第 10 行" in row and "最低金额（元）" in row
    assert "最低金额 16,000 元高于最高金额 15,000 元" in row
    assert not Power.objects.exists()

    fixed_file = write_workbook(
        tmp_path / "权力清单（已更正）.xlsx",
        powers,
        table_rows("CF33042101001") + table_rows("CF33042104001", 5000, 20000),
    )
    page.set_input_files("#id_file", str(fixed_file))
    page.click("text=检查并导入")
    page.wait_for_url("**/enforcement/powers/")
    assert "新增 2 项" in page.inner_text(".messages")

    page.fill("input[name=q]", "烧烤")
    page.click("text=筛选")
    listing = page.locator("[data-testid=power-list]")
    assert "对露天烧烤食品的行政处罚" in listing.inner_text()
    assert "设摊" not in listing.inner_text()
    listing.locator("text=对露天烧烤食品的行政处罚").click()
    page.locator("[data-testid=power-name]").wait_for()
    table = page.inner_text("[data-testid=discretion]")
    assert "从重处罚" in table and "15,500–20,000 元" in table

    phone = open_as(None, phone=True)
    phone.goto("/s/powers/")
    phone.fill("[data-testid=powers-q]", "烧烤")
    phone.click("text=搜索")
    phone.locator("[data-testid=powers-results] >> text=对露天烧烤食品的行政处罚").click()
    assert "行政处罚裁量基准" in phone.inner_text("[data-testid=power]")
    assert "一般处罚" in phone.inner_text("[data-testid=discretion]")
