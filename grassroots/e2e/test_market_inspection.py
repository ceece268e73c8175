"""A 双随机 inspection from plan to publication in Chromium: the office freezes and draws its plan; the drawn
inspector, on the phone, records a problem with a photo; the entity rectifies; the inspector re-checks and closes
it; the office publishes the results, which the public page shows."""

import pytest

from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office, make_plan
from grassroots.market.models import Inspection
from grassroots.market.tests.support import make_entity

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

JPEG = sample_jpeg()


def test_plan_draw_finding_rectification_recheck_published(world, open_as, tmp_path):
    entity = make_entity(world, 1, food_class="catering_large", name="嘉善县西塘好味小吃店")
    office = build_office(world)
    plan = make_plan(world, office, rates={"A": "1", "B": "1", "C": "1", "D": "1"})
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)

    desk = open_as(office.dora)
    desk.goto(f"/draws/plans/{plan.pk}/")
    desk.click("[data-testid=freeze]")
    desk.click("[data-testid=draw]")
    assert "已抽取" in desk.inner_text("[data-testid=status]")
    inspection = Inspection.objects.get(draw__plan=plan, entity=entity)
    inspector = inspection.inspectors.order_by("pk").first()

    phone = open_as(inspector, phone=True)
    phone.goto("/market/inspections/")
    phone.locator("[data-testid=inspection-row]", has_text=entity.name).click()
    record = phone.locator("[data-testid=step-record]")
    record.locator("label", has_text="发现问题，责令整改").click()
    record.locator("textarea[name=findings]").fill("冷藏柜温度超过 8℃\n从业人员健康证过期")
    record.locator("input[name=rectify_days]").fill("5")
    record.locator("input[type=file]").set_input_files(str(photo))
    record.locator("button[type=submit]").click()
    assert "整改中" in phone.inner_text("[data-testid=status]")
    assert "冷藏柜温度超过 8℃" in phone.inner_text("[data-testid=findings]")
    inspection.refresh_from_db()
    assert inspection.status == "rectifying" and inspection.findings.count() == 2

    # Publication waits for the result of every target: this one is recorded, so the office may publish now,
    # while the rectification goes on.
    recheck = phone.locator("[data-testid=step-recheck]")
    for box in recheck.locator("input[type=checkbox]").all():
        box.check()
    recheck.locator("input[type=file]").set_input_files(str(photo))
    recheck.locator("button[type=submit]").click()
    assert "已办结" in phone.inner_text("[data-testid=status]")
    inspection.refresh_from_db()
    assert inspection.status == "closed" and inspection.photos.count() == 2
    assert set(inspection.findings.values_list("status", flat=True)) == {"rectified"}

    desk.goto(f"/draws/plans/{plan.pk}/")
    form = desk.locator("[data-testid=publish-form]")
    assert (
        "已检查 1 户：发现问题，责令整改 1 户" in form.locator("textarea").input_value()
    )  # drafted from the results
    assert desk.inner_text("[data-testid=target-result]") == "发现问题，责令整改"
    form.locator("textarea").fill("抽查 1 户，发现问题 1 户，已整改到位。")
    form.locator("button").click()
    assert "已公示" in desk.inner_text("[data-testid=status]")
    plan.refresh_from_db()
    assert plan.status == "published"

    public = open_as(None)
    public.goto(f"/s/draws/plans/{plan.pk}/")
    assert "已整改到位" in public.inner_text("main")
    assert public.inner_text("[data-testid=target-result]") == "发现问题，责令整改"
