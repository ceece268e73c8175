"""执法统计 in Chromium: the township leader opens the enforcement figures for June 2026, reads the totals and the
tables per unit and officer, follows 超期结案数 of an officer to the case behind it, then the case's page link."""

import pytest

from grassroots.enforcement.tests.figures_scene import build_scene

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_leader_reads_the_figures_and_follows_a_number_to_its_cases(world, settings, tmp_path, open_as):
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = build_scene(world)

    page = open_as(scene.team.lena)
    page.goto("/enforcement/figures/?period=2026-06")
    total = page.locator("[data-testid=figures-total] tbody tr td")
    # 范围, 立案数, 不予立案数, 结案数, 按期结案数, 超期结案数, 按期结案率, 处罚决定数, 简易程序处罚数, ...
    assert total.nth(1).inner_text() == "2"  # C1, C8 (魏塘's C11 is another township's)
    assert total.nth(3).inner_text() == "4"
    assert total.nth(6).inner_text() == "66.67%"
    assert total.nth(10).inner_text() == "5,200.00"
    assert "西塘镇综合行政执法队" in page.inner_text("[data-testid=figures-unit]")
    assert "魏塘" not in page.inner_text("main")
    owen = page.locator("[data-testid=figures-officer] tbody tr", has_text="王文")
    late = owen.locator("td").nth(5)
    assert late.inner_text() == "1"

    late.locator("a").click()
    page.wait_for_selector("[data-testid=figure-rows]")
    assert "超期结案数 1" in page.inner_text("[data-testid=figure]")
    assert "王文" in page.inner_text(".page-head")
    rows = page.locator("[data-testid=figure-rows] tbody tr")
    assert rows.count() == 1
    c3 = scene.case("C3")
    link = rows.locator("td a").first
    assert link.inner_text() == str(c3)
    assert link.get_attribute("href") == f"/enforcement/cases/{c3.pk}/"

    page.click("text=返回执法统计")
    page.wait_for_selector("[data-testid=figures-total]")
    page.locator("[data-testid=figures-total] tbody tr td").nth(6).locator("a").click()
    page.wait_for_selector("[data-testid=figure-rows]")
    assert "按期结案率 66.67%（2 / 3）" in page.inner_text("[data-testid=figure]")
    assert page.locator("[data-testid=figure-rows] tbody tr").count() == 3
    page.click("a:text('未计入')")
    page.wait_for_url("**show=miss**")
    assert page.locator("[data-testid=figure-rows] tbody tr").count() == 1
