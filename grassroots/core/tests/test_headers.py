"""Security headers: every page of a demo-like set carries the CSP and frame denial, and holds no inline script or
style; static files carry no wildcard CORS; HTTPS settings add HSTS."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from grassroots.conftest import make_person
from grassroots.people.choices import Role

TEMPLATES = Path(settings.BASE_DIR) / "grassroots"


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: <style>, style="", on*= handlers, <script> without src."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self.found.append("<script> without src")
        if "style" in names:
            self.found.append(f"<{tag} style=>")
        self.found += [f"<{tag} {name}=>" for name in names if name.startswith("on")]


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_each_kind_of_inline_code():
    html = (
        '<style>a{}</style><p style="x"><button onclick="y"><script>z()</script><script src="/a.js"></script>'
    )
    assert inline_parts(html) == ["<style>", "<p style=>", "<button onclick=>", "<script> without src"]


@pytest.fixture
def people(world):
    extra = {
        "leader": make_person("lee", "李领导", Role.LEADER, division=world.township),
        "sysadmin": make_person("sam", "孙系统", Role.SYSTEM_ADMIN, division=world.district, is_staff=True),
        "auditor": make_person("abe", "审计员", Role.AUDIT_ADMIN, division=world.district, is_staff=True),
        "window": make_person("wen", "窗口员", Role.WINDOW_CLERK, division=world.township),
    }
    return {"oscar": world.oscar, "alice": world.alice, "dora": world.dora, "bob": world.bob, **extra}


PAGES = [
    (None, "/login/"),
    (None, "/s/guide/"),
    (None, "/s/ratings/"),
    (None, "/s/draws/"),
    (None, "/s/powers/"),
    (None, "/s/credit/"),
    (None, "/report/"),
    ("oscar", "/"),
    ("oscar", "/command/"),
    ("oscar", "/command/intake/"),
    ("oscar", "/dashboard/map/"),
    ("oscar", "/meetings/"),
    ("oscar", "/market/"),
    ("oscar", "/enforcement/cases/"),
    ("oscar", "/enforcement/operations/"),
    ("oscar", "/account/tokens/"),
    ("leader", "/assessment/"),
    ("leader", "/assessment/reports/"),
    ("leader", "/dashboard/"),
    ("dora", "/command/desk/"),
    ("alice", "/m/"),
    ("alice", "/m/report/"),
    ("window", "/service/"),
    ("sysadmin", "/admin/"),
    ("sysadmin", "/admin/geo/grid/"),
    ("sysadmin", "/integrations/open311-keys/"),
    ("sysadmin", "/admin/people/person/"),
    ("leader", "/enforcement/powers/"),
    ("auditor", "/audit/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_every_page_carries_the_policy_and_no_inline_script_or_style(people, who, url):
    client = Client()
    if who:
        client.force_login(people[who])
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert inline_parts(response.content.decode()) == [], url


def test_no_template_holds_inline_script_or_style():
    """The pages above are a sample; every template is checked for what would be blocked."""
    offenders = []
    for path in TEMPLATES.glob("**/templates/**/*.html"):
        text = path.read_text()
        # Template tags inside a tag would confuse the parser: blank them out, keep the markup.
        found = inline_parts(re.sub(r"{%.*?%}|{{.*?}}", "", text, flags=re.S))
        offenders += [f"{path.relative_to(TEMPLATES)}: {what}" for what in found]
    assert offenders == []


def test_a_refused_page_and_an_api_error_carry_the_policy_too(world):
    assert "Content-Security-Policy" in Client().get("/api/v1/events")
    assert Client().get("/no-such-page/")["X-Frame-Options"] == "DENY"


def test_static_files_carry_no_wildcard_cors():
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "Content-Security-Policy" in response


def test_behind_https_production_settings_send_hsts_and_secure_cookies(settings, world):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    assert client.get("/login/").status_code == 301  # plain HTTP is sent to HTTPS
    response = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    login = client.post(
        "/login/", {"username": "oscar", "password": "Secret@2026"}, HTTP_X_FORWARDED_PROTO="https"
    )
    assert login.cookies["sessionid"]["secure"]
