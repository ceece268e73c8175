"""A joint operation in Chromium: the enforcement squad's officer starts one through the form (the market office and
the police station taking part), adds a task for each, starts it and records the squad's results; the market
office's staff member records theirs on their own page and marks their task done; the record shows both units' rows
and the totals, the history names each step, and the calendar shows the operation on its days."""

import datetime as dt

import pytest

from grassroots.conftest import make_person
from grassroots.enforcement.models import JointOperation
from grassroots.enforcement.operations_registry import register_operations
from grassroots.enforcement.tests.support import build_team
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_an_operation_is_planned_run_and_its_results_totalled(world, open_as):
    register_operations()
    team = build_team(world)
    police = Unit.objects.create(
        code="330421102-PCS",
        name="西塘派出所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class="B",
        division=world.township,
    )
    make_person("percy", "潘警官", Role.DEPARTMENT_STAFF, unit=police)
    today = dt.date.today()

    page = open_as(team.olga)
    page.goto("/enforcement/operations/")
    page.click("[data-testid=operation-new]")
    page.select_option("#id_kind", "joint")
    page.fill("#id_title", "酒吧街拉客联合整治")
    page.select_option("#id_lead_unit", label="西塘镇综合行政执法队")
    page.select_option("#id_units", label=["西塘市场监管所", "西塘派出所"])
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=2)).isoformat())
    page.fill("#id_plan", "综合执法队牵头，市场监管所查明码标价，派出所维护秩序")
    page.fill("#id_places", "西街酒吧街, 120.885, 30.945")
    page.fill("#id_grids", world.grid_a.code)
    page.click("[data-testid=operation-save]")
    page.locator("[data-testid=operation-title]").wait_for()
    assert "已发起行动" in page.inner_text(".messages")
    assert "西塘市场监管所" in page.inner_text("[data-testid=operation-units]")
    operation = JointOperation.objects.get()

    for unit, text in (("西塘市场监管所", "检查明码标价"), ("西塘派出所", "夜间巡逻")):
        page.select_option("[data-testid=task-form] select", label=unit)
        page.fill("[data-testid=task-form] input[name=text]", text)
        with page.expect_navigation():
            page.click("[data-testid=task-add]")
    assert "检查明码标价" in page.inner_text("[data-testid=operation-tasks]")
    with page.expect_navigation():
        page.click("[data-testid=operation-start]")
    assert page.inner_text("[data-testid=operation-status]") == "进行中"
    for name, value in (
        ("places_inspected", "12"),
        ("problems_found", "5"),
        ("cases_opened", "2"),
        ("rectified", "4"),
    ):
        page.fill(f"[data-testid=results-form] input[name={name}]", value)
    with page.expect_navigation():
        page.click("[data-testid=results-save]")

    market = open_as(world.dora)
    market.goto(f"/enforcement/operations/{operation.pk}/")
    row = market.locator("[data-testid=operation-tasks] tr", has_text="检查明码标价")
    row.locator("input[name=notes]").fill("检查 9 家")
    with market.expect_navigation():
        row.locator("[data-testid=task-done]").click()
    # Only their own unit is offered on their form.
    options = market.locator("[data-testid=results-form] select option").all_inner_texts()
    assert [o for o in options if "所" in o or "队" in o] == ["西塘市场监管所"]
    for name, value in (
        ("places_inspected", "9"),
        ("problems_found", "3"),
        ("cases_opened", "1"),
        ("rectified", "3"),
    ):
        market.fill(f"[data-testid=results-form] input[name={name}]", value)
    market.fill("[data-testid=results-form] textarea[name=note]", "3 家未明码标价，已当场整改")
    with market.expect_navigation():
        market.click("[data-testid=results-save]")

    results = market.locator("[data-testid=operation-results]")
    squad_row = results.locator("tr[data-unit='330421102-ZFD']").inner_text().split("\t")
    market_row = results.locator("tr[data-unit='330421102-SCJGS']").inner_text().split("\t")
    assert squad_row[1:5] == ["12", "5", "2", "4"]
    assert market_row[1:5] == ["9", "3", "1", "3"] and "3 家未明码标价" in market_row[5]
    assert "未填报" in results.locator("tr[data-unit='330421102-PCS']").inner_text()
    # 12+9+0, 5+3+0, 2+1+0, 4+3+0
    assert market.inner_text("[data-testid=results-totals]").split("\t")[1:5] == ["21", "8", "3", "7"]
    assert "检查 9 家" in market.inner_text("[data-testid=operation-tasks]")
    history = market.inner_text("[data-testid=history]")
    for label in ("发起", "添加任务", "开始行动", "登记任务完成情况", "填报行动成果"):
        assert label in history

    page.goto(f"/enforcement/operations/?month={today:%Y-%m}")
    cell = page.locator(f"[data-testid=operation-calendar] td[data-day='{today.isoformat()}']")
    assert "酒吧街拉客联合整治" in cell.inner_text()
