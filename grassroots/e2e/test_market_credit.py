"""The credit file in Chromium: the township leader opens an entity's page, follows the link to its credit file,
narrows the timeline to penalties with the kind filter (HTMX, the address follows), and then, signed out, finds the
entity on the public page by its USCC and reads the penalty but not the finding or the phone."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office
from grassroots.market.choices import Conclusion
from grassroots.market.services.inspection_steps import inspection_penalize, inspection_record
from grassroots.market.services.inspections import inspection_create
from grassroots.market.tests.support import add_licence, make_entity
from grassroots.workcal.calendar import local_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

JPEG = sample_jpeg()
FINDING = "后厨地面积水未清理"
DECISION = "嘉市监西罚〔2026〕21号"


def test_staff_filter_the_credit_file_and_anyone_finds_the_public_part(world, open_as):
    office = build_office(world)
    entity = make_entity(world, 1, name="嘉善县西塘好味小吃店", food_class="catering_small")
    add_licence(entity, valid_to=local_today() + dt.timedelta(days=400), number="JY13304210000077")
    inspector = office.inspectors[0].person
    inspection = inspection_create(
        actor=office.lena, entity=entity, kind="routine", unit=world.agency, inspectors=[inspector]
    )
    inspection_record(
        actor=inspector,
        inspection=inspection,
        conclusion=Conclusion.PROBLEMS,
        findings=[{"description": FINDING}],
        photos=[SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")],
    )
    inspection_penalize(
        actor=office.dora,
        inspection=inspection,
        decision_no=DECISION,
        kind="warning",
        procedure="simple",
        amount="0",
        violation="食品处理区卫生不符合要求",
        legal_basis="《食品安全法》第一百二十六条",
        decided_on=local_today(),
    )

    page = open_as(office.lena)
    page.goto(f"/market/entities/{entity.pk}/")
    page.click("[data-testid=credit-link]")
    timeline = page.locator("[data-testid=credit-timeline]")
    timeline.wait_for()
    assert FINDING in timeline.inner_text() and DECISION in timeline.inner_text()
    page.check("[data-testid=credit-filter] input[value=penalty]")
    page.wait_for_url("**kind=penalty**")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=credit-timeline]').innerText.includes('发现问题')"
    )
    assert DECISION in timeline.inner_text()
    assert page.locator("[data-testid=credit-timeline] li").count() == 1
    assert "kind=penalty" in (page.get_attribute("[data-testid=credit-export]", "href") or "")

    public = open_as(None)
    public.goto("/s/credit/")
    public.fill("[data-testid=credit-search-q]", entity.uscc)
    public.click("form.search-line button")
    public.locator("[data-testid=public-entity-name]").wait_for()
    text = public.inner_text("main")
    assert "嘉善县西塘好味小吃店" in text and entity.uscc in text
    assert DECISION in public.inner_text("[data-testid=public-penalty]")
    assert "JY13304210000077" in public.inner_text("[data-testid=public-licence]")
    assert FINDING not in text and "13905731234" not in text and "风险" not in text
