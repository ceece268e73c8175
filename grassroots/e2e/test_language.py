"""Chinese throughout, offline: the admin's sections and audit actions, the error pages, and the API docs."""

from urllib.parse import urlsplit

import pytest

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.people.models import Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def root(world):
    return Person.objects.create_superuser(username="root", password="Root@2026pass", name="系统管理员")


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False  # the error pages as production serves them


def _offline(page, live_server):
    """Abort every request that leaves the live server, as on a closed government network."""
    host = urlsplit(live_server.url).netloc
    left = []

    def route(r):
        if urlsplit(r.request.url).netloc == host:
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return left


def test_the_admin_index_names_every_section_in_chinese(root, open_as):
    page = open_as(root)
    page.goto("/admin/")
    sections = page.locator("#content-main caption").all_inner_texts()
    for name in ("审计", "地理", "组织", "人员", "工作日历", "事件", "通知", "评价考核"):
        assert any(name in s for s in sections), (name, sections)
    for english in ("AUDIT", "GEO", "ORG", "PEOPLE", "WORKCAL", "CORE"):
        assert not any(english in s.upper() for s in sections), (english, sections)


def test_the_audit_log_names_actions_in_chinese(world, root, open_as):
    audit_record(actor=None, action="login.failed", obj=world.alice, result=AuditResult.DENIED)
    audit_record(actor=root, action="unit.update", obj=world.agency)
    page = open_as(root)
    page.goto("/admin/audit/auditentry/")
    rows = page.locator("#result_list").inner_text()
    assert "登录失败" in rows and "修改单位" in rows
    assert "login.failed" not in rows and "unit.update" not in rows
    # The filter by action offers the names, and filters by the stored code.
    page.locator("#changelist-filter").get_by_role("link", name="登录失败").click()
    page.wait_for_url("**/?action=login.failed")
    assert page.locator("#result_list tbody tr").count() == 1
    page.locator("#result_list tbody tr a").first.click()
    detail = page.locator("#content-main").inner_text()
    assert "登录失败" in detail and "login.failed" in detail  # the name, and the code beside it


def test_a_missing_page_is_the_chinese_404_in_the_products_look(world, open_as):
    page = open_as(world.oscar)
    response = page.goto("/command/no-such-page/")
    assert response.status == 404
    assert page.title().startswith("页面不存在")
    assert page.locator("h1").inner_text() == "页面不存在"
    assert page.locator(".topbar .who").inner_text().startswith(world.oscar.name)  # the usual top bar
    assert "Not Found" not in page.content()
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/command")  # home sends the operator to the command room


def test_a_missing_page_on_a_phone_without_signing_in(open_as, live_server):
    page = open_as(None, phone=True)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert page.get_by_role("link", name="登录").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone


def test_the_api_docs_render_without_internet(world, open_as, live_server):
    page = open_as(world.oscar)
    left = _offline(page, live_server)
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert "基层治理" in page.locator(".info .title").inner_text()
    assert left == []
