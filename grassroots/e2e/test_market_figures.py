"""监管统计 in Chromium: a township leader opens the market figures for March 2025, switches to February with the
period picker, and follows the 双随机 coverage of class A to the entities behind it."""

import pytest

from grassroots.conftest import make_person
from grassroots.market.tests.figures_scene import build_scene
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_leader_changes_the_period_and_follows_a_number_to_its_records(world, open_as):
    scene = build_scene(world)
    leo = make_person("leo", "刘建华", Role.LEADER, division=world.township)

    page = open_as(leo)
    page.goto("/market/figures/?period=2025-03")
    total = page.locator("[data-testid=figures-total] tbody tr td")
    assert total.nth(1).inner_text() == "4"  # arranged in March: R2 C1 R4 M2
    units = page.inner_text("[data-testid=figures-unit]")
    assert "西塘市场监管所" in units and "执法一队" in units
    assert "徐甲" in page.inner_text("[data-testid=figures-inspector]")

    page.select_option("#f-pk", "month")
    page.select_option("select[name=p_month]", "2025-02")
    page.click(".filter-bar button[type=submit]")
    page.wait_for_url("**p_month=2025-02**")
    assert "2025年2月" in page.inner_text(".page-head")
    risk = page.locator("[data-testid=figures-risk] tbody tr", has_text="A 类")
    cells = risk.locator("td")
    assert cells.nth(1).inner_text() == "2" and cells.nth(2).inner_text() == "1"
    assert cells.nth(3).inner_text() == "50.00%" and "50%" in cells.nth(4).inner_text()

    cells.nth(3).locator("a").click()
    page.wait_for_selector("[data-testid=figure-rows]")
    assert "A 类抽中比例 50.00%（1 / 2）" in page.inner_text("[data-testid=figure]")
    listed = page.locator("[data-testid=figure-rows] tbody tr")
    assert listed.count() == 2
    page.click("a:text('计入A 类被抽中数')")
    page.wait_for_selector("[data-testid=figure-rows]")
    drawn = page.locator("[data-testid=figure-rows] tbody tr")
    assert drawn.count() == 1
    name = drawn.locator("td").first.inner_text()
    assert name in {scene.entities["E1"].name, scene.entities["E2"].name}
    drawn.locator("td a").first.click()
    page.wait_for_load_state()
    assert name in page.inner_text("main")
