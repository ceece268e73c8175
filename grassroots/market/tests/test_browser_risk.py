"""The risk-class override form of an entity's credit file, in Chromium: Petra, the platform coordinator, raises
the class with a reason, then clears the override; each submission is stored and audited."""

from typing import Any

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World
from grassroots.e2e import conftest as e2e

from ..choices import RiskClass
from .support import make_entity, people

# The one Chromium of the e2e tests (Playwright's sync API runs once per thread) and its signed-in pages.
browser, open_as = e2e.browser, e2e.open_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_petra_overrides_the_risk_class_and_clears_it(world: World, open_as: Any) -> None:
    entity = make_entity(world, 1)
    computed = entity.risk_computed
    assert computed != RiskClass.D
    petra = people(world)["petra"]
    page = open_as(petra)
    page.goto(reverse("market:entity", args=[entity.pk]))
    form = page.locator("[data-testid=override-form]")
    form.locator("select[name=risk_class]").select_option("D")
    form.locator("textarea[name=reason]").fill("群众多次投诉，现场核实存在隐患")
    with page.expect_navigation():
        form.locator("button").click()

    entity.refresh_from_db()
    assert (entity.risk_override, entity.risk_class, entity.risk_computed) == ("D", "D", computed)
    assert entity.overridden_by == petra and entity.risk_override_reason == "群众多次投诉，现场核实存在隐患"
    entry = AuditEntry.objects.get(action="marketentity.risk_override", object_id=str(entity.pk))
    assert entry.actor_id == petra.pk
    assert entry.detail == {
        "from": computed,
        "to": "D",
        "computed": computed,
        "reason": "群众多次投诉，现场核实存在隐患",
    }
    assert "风险分类已调整" in page.inner_text(".messages")
    assert "群众多次投诉" in page.inner_text("[data-testid=risk]")

    form.locator("select[name=risk_class]").select_option("")
    form.locator("textarea[name=reason]").fill("复查后隐患已消除")
    with page.expect_navigation():
        form.locator("button").click()
    entity.refresh_from_db()
    assert (entity.risk_override, entity.risk_class, entity.overridden_by) == ("", computed, None)
    cleared = AuditEntry.objects.get(action="marketentity.risk_override_clear", object_id=str(entity.pk))
    assert cleared.detail["reason"] == "复查后隐患已消除" and cleared.actor_id == petra.pk
