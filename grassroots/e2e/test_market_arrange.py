"""Arranging and closing inspections by hand in Chromium: the office arranges a routine inspection from the
entity's page and cancels it with a reason; an inspector records a problem and the office registers the penalty;
a 市场监管 complaint event offers the on-site check, which is linked to it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office
from grassroots.market.models import Inspection, Penalty
from grassroots.market.services.inspection_steps import inspection_record
from grassroots.market.services.inspections import inspection_create
from grassroots.market.tests.support import make_entity

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_the_office_arranges_then_cancels_a_routine_inspection(world, open_as):
    entity = make_entity(world, 1)
    office = build_office(world)
    page = open_as(office.dora, phone=True)
    page.goto(f"/market/entities/{entity.pk}/")
    page.click("[data-testid=arrange]")
    form = page.locator("[data-testid=arrange-form]")
    form.locator("select[name=kind]").select_option("routine")
    form.locator("label", has_text=office.inspectors[0].person.name).click()
    form.locator("label", has_text=office.inspectors[1].person.name).click()
    form.locator("label", has_text=office.item.name).click()
    form.locator("[data-testid=arrange-submit]").click()
    assert "待检查" in page.inner_text("[data-testid=status]")
    inspection = Inspection.objects.get(entity=entity)
    assert inspection.kind == "routine" and inspection.inspectors.count() == 2
    assert list(inspection.items.all()) == [office.item]

    page.locator("summary", has_text="取消检查").click()
    cancel = page.locator("[data-testid=step-cancel]")
    cancel.locator("textarea[name=reason]").fill("该店已停业装修")
    cancel.locator("button[type=submit]").click()
    assert "已取消" in page.inner_text("[data-testid=status]")
    inspection.refresh_from_db()
    assert inspection.status == "cancelled" and inspection.cancel_reason == "该店已停业装修"


def test_the_office_registers_a_penalty_on_what_was_found(world, open_as):
    entity = make_entity(world, 1)
    office = build_office(world)
    inspector = office.inspectors[0].person
    inspection = inspection_create(
        actor=office.dora, entity=entity, kind="routine", unit=world.agency, inspectors=[inspector]
    )
    photo = SimpleUploadedFile("p.jpg", sample_jpeg(), content_type="image/jpeg")
    inspection_record(
        actor=inspector,
        inspection=inspection,
        conclusion="problems",
        findings=[{"description": "销售超过保质期的食品"}],
        photos=[photo],
    )
    page = open_as(office.dora)
    page.goto(f"/market/inspections/{inspection.pk}/")
    page.locator("summary", has_text="登记行政处罚").click()
    form = page.locator("[data-testid=step-penalize]")
    form.locator("[name=decision_no]").fill("嘉市监西罚〔2026〕12号")
    form.locator("select[name=kind]").select_option("fine")
    form.locator("select[name=procedure]").select_option("general")
    form.locator("[name=amount]").fill("5000")
    form.locator("[name=violation]").fill("销售超过保质期的食品")
    form.locator("[name=legal_basis]").fill("《食品安全法》第一百二十四条")
    form.locator("[name=decided_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    assert "嘉市监西罚〔2026〕12号" in page.inner_text("[data-testid=penalties]")
    penalty = Penalty.objects.get(entity=entity)
    assert penalty.amount == 5000 and penalty.kind == "fine" and penalty.inspection_id == inspection.pk
