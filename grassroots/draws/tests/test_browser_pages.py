"""Every form of the 双随机 staff pages, submitted in Chromium, each checked in the database: Dora of the market-
supervision office creates and edits a plan, freezes, draws, re-draws with Lena's approval and publishes; keeps the
item list (new, edit, publish) and the inspector pool (add, edit, relation add and remove, deactivate, reactivate).

The target pool is the registry's own (grassroots/market/registry.py): three entities of 红菱村."""

import datetime as dt
from typing import Any

import pytest

from grassroots.conftest import World, make_person
from grassroots.e2e import conftest as e2e
from grassroots.market.models import Inspection
from grassroots.market.services.inspection_steps import inspection_record
from grassroots.market.tests.support import make_entity
from grassroots.people.choices import Role

from ..choices import PlanStatus
from ..models import DeclaredRelation, DrawPlan, InspectionItem, Inspector
from .support import KIND, Office, build_office

# The one Chromium of the e2e tests (Playwright's sync API runs once per thread) and its signed-in pages.
browser, open_as = e2e.browser, e2e.open_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def office(world: World) -> Office:
    return build_office(world)


def submitted(page: Any, selector: str) -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def test_dora_runs_a_plan_from_creation_to_published_results(
    world: World, office: Office, open_as: Any
) -> None:
    for n in range(1, 4):
        make_entity(world, n)
    page = open_as(office.dora)
    page.goto("/draws/")
    submitted(page, "[data-testid=plan-new]")

    # Create: every field of the form, rates typed as percentages.
    page.fill("#id_name", "2026年食品经营者双随机抽查")
    page.get_by_label("西塘市场监管所").check()
    page.get_by_label("SCJG-001 食品经营者落实食品安全主体责任情况检查").check()
    page.fill("#id_target_filter", "红菱村在营市场主体")
    for risk in "ABCD":
        page.fill(f"#id_rate_{risk}", "100")
    page.fill("#id_inspectors_per_target", "2")
    page.fill("#id_joint_key", "2026-联合-01")
    submitted(page, "[data-testid=plan-form] button[type=submit]")
    plan = DrawPlan.objects.get()
    assert (plan.name, plan.status, plan.joint_key) == (
        "2026年食品经营者双随机抽查",
        PlanStatus.DRAFT,
        "2026-联合-01",
    )
    assert plan.rates == {"A": "1", "B": "1", "C": "1", "D": "1"}
    assert list(plan.units.all()) == [world.agency] and list(plan.items.all()) == [office.item]
    assert "已新建抽查计划" in page.inner_text(".messages")

    # Edit while a draft.
    submitted(page, "[data-testid=plan-edit]")
    page.fill("#id_name", "2026年食品经营者双随机抽查（第一批）")
    page.fill("#id_rate_A", "50")
    submitted(page, "[data-testid=plan-form] button[type=submit]")
    plan.refresh_from_db()
    assert plan.name.endswith("（第一批）") and plan.rates["A"] == "0.5" and plan.version == 2

    # Freeze, then draw.
    submitted(page, "[data-testid=freeze]")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FROZEN and plan.snapshots.count() == 1
    assert plan.snapshots.get().seed_hash in page.inner_text("[data-testid=snapshots]")
    submitted(page, "[data-testid=draw]")
    plan.refresh_from_db()
    first = plan.draws.get()
    assert plan.status == PlanStatus.DRAWN and first.current and first.drawn_by == office.dora

    # Re-draw: a reason and another manager's approval.
    page.fill("[data-testid=redraw-form] #id_reason", "一名执法人员病假")
    page.select_option("[data-testid=redraw-form] #id_approver", label="陆丽娜（领导）")
    submitted(page, "[data-testid=redraw-form] button")
    plan.refresh_from_db()
    first.refresh_from_db()
    assert plan.status == PlanStatus.FROZEN and plan.snapshots.count() == 2 and not first.current
    latest = plan.snapshots.order_by("-sequence").first()
    assert latest is not None and latest.redraw_approved_by == office.lena
    assert latest.redraw_reason == "一名执法人员病假"
    submitted(page, "[data-testid=draw]")
    second = plan.draws.get(sequence=2)
    assert second.reason == "一名执法人员病假" and second.approved_by == office.lena

    # The drawn inspectors record their results (publication waits for every one), then Dora publishes them.
    for inspection in Inspection.objects.filter(draw=second):
        inspection_record(actor=inspection.inspectors.first(), inspection=inspection, conclusion="compliant")
    page.reload()
    page.fill("[data-testid=publish-form] #id_summary", "检查 3 户，均未发现问题。")
    submitted(page, "[data-testid=publish-form] button")
    plan.refresh_from_db()
    second.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and second.results_summary == "检查 3 户，均未发现问题。"
    assert "均未发现问题" in page.inner_text("[data-testid=results]")


def test_dora_keeps_the_item_list(world: World, office: Office, open_as: Any) -> None:
    page = open_as(office.dora)
    page.goto("/draws/")
    submitted(page, "[data-testid=draws-tabs] >> text=抽查事项清单")
    submitted(page, "[data-testid=item-new]")
    page.fill("#id_code", "SCJG-002")
    page.fill("#id_name", "食品销售者落实进货查验制度情况检查")
    page.fill("#id_legal_basis", "《食品安全法》第五十三条")
    page.select_option("#id_unit", label="西塘市场监管所")
    page.select_option("#id_target_kind", label="市场主体")
    page.fill("#id_checklist", "查验食品经营许可证\n查验进货查验记录\n\n查验临近保质期食品的处置")
    submitted(page, "[data-testid=item-form] button[type=submit]")
    item = InspectionItem.objects.get(code="SCJG-002")
    assert not item.published and item.legal_basis == "《食品安全法》第五十三条"
    assert item.checklist == ["查验食品经营许可证", "查验进货查验记录", "查验临近保质期食品的处置"]

    row = "[data-testid=item-SCJG-002]"
    submitted(page, f"{row} >> text=修改")
    assert page.input_value("#id_checklist").splitlines()[0] == "查验食品经营许可证"
    page.fill("#id_name", "食品销售者进货查验检查")
    page.fill("#id_checklist", "查验进货查验记录")
    submitted(page, "[data-testid=item-form] button[type=submit]")
    item.refresh_from_db()
    assert (
        item.name == "食品销售者进货查验检查" and item.checklist == ["查验进货查验记录"] and item.version == 2
    )

    submitted(page, f"{row} >> button:has-text('公开')")
    item.refresh_from_db()
    assert item.published and "已公开" in page.inner_text(row)
    submitted(page, f"{row} >> button:has-text('取消公开')")
    item.refresh_from_db()
    assert not item.published


def test_dora_keeps_the_inspector_pool(world: World, office: Office, open_as: Any) -> None:
    nina = make_person("nina", "宋七", Role.INSPECTOR, unit=world.agency)
    entity = make_entity(world, 7)
    page = open_as(office.dora)
    page.goto("/draws/inspectors/")
    assert "已过期" in page.inner_text(f"[data-testid=inspector-{office.expired.certificate_no}]")
    submitted(page, "[data-testid=inspector-new]")
    page.select_option("#id_person", label="宋七（执法人员，西塘市场监管所）")
    page.fill("#id_certificate_no", "330421100077")
    page.fill("#id_valid_to", "2029-06-30")
    page.select_option("#id_unit", label="西塘市场监管所")
    page.fill("#id_fields_text", "食品、特种设备")
    submitted(page, "[data-testid=inspector-form] button[type=submit]")
    inspector = Inspector.objects.get(person=nina)
    assert inspector.certificate_valid_to == dt.date(2029, 6, 30) and inspector.fields == ["食品", "特种设备"]

    # Edit on the inspector's page: the form shows what is stored.
    assert page.input_value("#id_valid_to") == "2029-06-30"
    assert page.input_value("#id_fields_text") == "食品、特种设备"
    page.fill("#id_valid_to", "2031-12-31")
    page.fill("#id_certificate_no", "330421100078")
    submitted(page, "[data-testid=inspector-form] button[type=submit]")
    inspector.refresh_from_db()
    assert (inspector.certificate_no, inspector.certificate_valid_to) == (
        "330421100078",
        dt.date(2031, 12, 31),
    )

    # A declared relation with an entity named by its USCC, then withdrawn.
    page.fill("[data-testid=relation-form] #id_target", entity.uscc)
    page.fill("[data-testid=relation-form] #id_reason", "配偶经营")
    submitted(page, "[data-testid=relation-form] button[type=submit]")
    relation = DeclaredRelation.objects.get(inspector=inspector)
    assert (relation.target_kind, relation.target_id, relation.reason) == (KIND, str(entity.pk), "配偶经营")
    assert entity.name in page.inner_text("[data-testid=relations]")
    submitted(page, f"[data-testid=relation-{relation.pk}] button")
    assert not DeclaredRelation.objects.filter(pk=relation.pk).exists()

    # Out of the pool and back.
    submitted(page, "[data-testid=deactivate-form] button")
    inspector.refresh_from_db()
    assert not inspector.active and "已移出" in page.inner_text("[data-testid=active]")
    submitted(page, "[data-testid=reactivate-form] button")
    inspector.refresh_from_db()
    assert inspector.active and inspector.version == 4
