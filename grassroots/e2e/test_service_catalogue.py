"""The service catalogue in Chromium: an administrator uploads a workbook with a bad row, reads the row's error in
Chinese, uploads the fixed file and sees the item on the list; a resident on a phone finds it in the public guide.
With SCREENSHOTS=<dir> it also saves catalogue-import-errors.png, catalogue-list.png, catalogue-item.png,\nguide-search-phone.png and guide-item-phone.png.
"""

import os
from pathlib import Path

import pytest

from grassroots.conftest import make_person
from grassroots.convenience.models import ServiceItem
from grassroots.convenience.tests.catalogue_files import good_file, item_row, material_row, write_workbook
from grassroots.convenience.tests.support import build_centre
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def shoot(page, name: str) -> None:
    target = os.environ.get("SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_an_admin_fixes_a_bad_row_and_a_resident_finds_the_item_on_a_phone(world, open_as, tmp_path):
    c = build_centre(world)
    head = make_person("cora", "曹静", Role.PLATFORM_COORDINATOR, unit=c.unit, division=world.township)
    bad = write_workbook(
        tmp_path / "事项清单.xlsx",
        [item_row("GG330421101", "高龄津贴申领", {"承诺时限（工作日）": 30, "关键词": "老年 补贴"})],
        [material_row("GG330421101", "申请人身份证")],
    )

    page = open_as(head)
    page.goto("/service/catalogue/")
    page.click("[data-testid=catalogue-import]")
    page.set_input_files("#id_file", str(bad))
    page.check("#id_publish_now")
    page.click("text=检查并导入")
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    assert "发现 1 处错误，未导入任何内容" in errors.inner_text()
    row = errors.locator("tbody tr").first.inner_text()
    assert (
        "事项" in row
        and "第 2 行" in row
        and "承诺时限（工作日）" in row
        and "承诺时限不得长于法定时限" in row
    )
    shoot(page, "catalogue-import-errors")
    assert not ServiceItem.objects.filter(code="GG330421101").exists()

    page.set_input_files("#id_file", str(good_file(tmp_path)))
    page.check("#id_publish_now")
    page.click("text=检查并导入")
    page.wait_for_url("**/service/catalogue/")
    assert "导入完成：新增 2 项" in page.inner_text(".messages")
    listing = page.locator("[data-testid=catalogue-list]")
    assert "高龄津贴申领" in listing.inner_text() and "农村宅基地建房审批" in listing.inner_text()
    page.click("[data-list=village]")
    assert "GG330421101" in page.locator("[data-testid=catalogue-list]").inner_text()
    shoot(page, "catalogue-list")
    page.click("text=GG330421101")
    assert "申请人身份证" in page.inner_text("[data-testid=item-materials]")
    assert "v1" in page.inner_text("[data-testid=item-versions]")
    shoot(page, "catalogue-item")

    phone = open_as(None, phone=True)
    phone.goto("/s/guide/")
    phone.fill("[data-testid=guide-q]", "补贴")
    phone.press("[data-testid=guide-q]", "Enter")
    results = phone.locator("[data-testid=guide-results]")
    results.get_by_text("高龄津贴申领").wait_for()
    assert "农村宅基地建房审批" not in results.inner_text()
    shoot(phone, "guide-search-phone")
    results.get_by_text("高龄津贴申领").click()
    guide = phone.locator("[data-testid=guide-item]")
    guide.wait_for()
    assert "申请人身份证" in guide.inner_text() and "承诺办结时限" in guide.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the phone's screen
    shoot(phone, "guide-item-phone")
