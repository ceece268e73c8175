"""Pages work in a real browser under the Content-Security-Policy: the console reports no violation while people
sign in, filter the audit log and switch a period selector (the behaviours that used to be inline or Alpine)."""

from typing import Any

import pytest

from grassroots.audit.services import audit_record
from grassroots.conftest import PASSWORD, make_person
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def watch(page: Any) -> list[str]:
    """Every console message that reports a blocked script, style or other resource."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return violations


def test_signing_in_works_under_the_policy(world, open_as):
    page = open_as(None, bypass_csp=False)
    violations = watch(page)
    page.goto("/login/")
    page.fill("input[name=username]", "oscar")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.locator("main").count() == 1
    assert violations == []
    # The watcher sees a violation when there is one: an inline style written into the page is refused.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert violations and "style" in violations[0]


def test_the_audit_administrator_filters_the_log_under_the_policy(world, open_as):
    auditor = make_person("abe", "审计员", Role.AUDIT_ADMIN, division=world.district, is_staff=True)
    audit_record(actor=world.oscar, action="event.close", obj=world.bob)
    audit_record(actor=world.alice, action="event.report", obj=world.carol)
    page = open_as(auditor, bypass_csp=False)
    violations = watch(page)
    page.goto("/audit/")
    assert page.locator("[data-testid=audit-row]").count() >= 2
    page.fill("input[name=actor]", "陈志强")
    page.click("[data-testid=audit-filters] button")
    page.wait_for_url("**actor=*")
    assert page.locator("[data-testid=audit-row]").count() == 1
    assert violations == []


def test_the_period_selector_switches_fields_under_the_policy(world, open_as):
    leader = make_person("lee", "李领导", Role.LEADER, division=world.township)
    page = open_as(leader, bypass_csp=False)
    violations = watch(page)
    page.goto("/assessment/?period=2026-03")
    assert page.is_visible("select[name=p_month]") and not page.is_visible("select[name=p_week]")
    page.select_option("#f-pk", "week")
    page.wait_for_selector("select[name=p_week]", state="visible")
    page.wait_for_selector("select[name=p_month]", state="hidden")
    assert page.is_disabled("select[name=p_month]")
    assert violations == []
