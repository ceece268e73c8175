"""The platform's figures in a real browser: a leader opens 办件统计, clicks a number and sees the applications
behind it, then opens one of them."""

import pytest

from grassroots.conftest import make_person
from grassroots.convenience.choices import Channel, Grade, Status
from grassroots.convenience.tests.support import build_centre
from grassroots.convenience.tests.test_indicators import at, make
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_leader_clicks_a_figure_and_sees_the_applications_behind_it(world, open_as):
    c = build_centre(world)
    make(
        c,
        "A1",
        window=c.window_1,
        first_clerk=c.wendy,
        accepted_at=at(3, 3),
        decided_at=at(3, 5),
        status=Status.DELIVERED,
        visits=1,
        rating=(Grade.VERY_SATISFIED, at(3, 6), None),
    )
    make(
        c,
        "A2",
        window=c.window_1,
        first_clerk=c.wendy,
        accepted_at=at(3, 4),
        decided_at=at(3, 20),
        status=Status.DELIVERED,
        late=True,
        visits=3,
    )
    make(
        c,
        "A3",
        item=c.service,
        channel=Channel.ONLINE,
        first_clerk=c.will,
        accepted_at=at(3, 10),
        status=Status.PROCESSING,
    )
    make(c, "A4", window=c.window_1, first_clerk=c.will, accepted_at=at(2, 3), decided_at=at(2, 5),
         status=Status.DELIVERED)  # fmt: skip
    leo = make_person("leo", "刘建华", Role.LEADER, division=world.township)

    page = open_as(leo)
    page.goto("/service/figures/?period=2025-03")
    clerks = page.locator("[data-testid=figures-clerk]")
    assert "吴文婷" in clerks.inner_text()
    total = page.locator("[data-testid=figures-total] tbody tr")
    assert total.locator("td").nth(1).inner_text() == "3"  # accepted in March: A1 A2 A3
    total.locator("td").nth(1).locator("a").click()

    page.wait_for_selector("[data-testid=figure-rows]")
    assert "受理件数 3" in page.inner_text("[data-testid=figure]")
    listed = page.locator("[data-testid=figure-rows] tbody tr")
    assert listed.count() == 3
    text = page.inner_text("[data-testid=figure-rows]")
    assert all(f"BM{name}" in text for name in ("A1", "A2", "A3")) and "BMA4" not in text

    page.go_back()
    page.locator("[data-testid=figures-clerk] tr", has_text="吴文婷").locator("td").nth(4).locator(
        "a"
    ).click()
    page.wait_for_selector("[data-testid=figure-rows]")
    assert "按时办结率 50.00%（1 / 2）" in page.inner_text("[data-testid=figure]")
    page.click("a:text('未计入')")
    page.wait_for_selector("[data-testid=figure-rows]")
    assert page.locator("[data-testid=figure-rows] tbody tr").count() == 1
    page.click("[data-testid=figure-rows] a:text('BMA2')")
    page.wait_for_load_state()
    assert "BMA2" in page.inner_text("main")
