"""End-to-end fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is never downloaded (`playwright install` is not used): Chromium comes from Debian (`scripts/test`
installs it), found at /usr/bin/chromium or $CHROMIUM.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


# Playwright's sync API runs once per thread, so every `browser` fixture shares one Chromium: an app's own browser
# tests (grassroots/<app>/tests/test_browser_*.py) import `browser` and `open_as` from this module, which makes a
# second session fixture beside this directory's; the last of them to finish closes it.
_shared: dict[str, Any] = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                f"Chromium not found at {CHROMIUM}: scripts/test installs it (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    if not _shared["users"]:
        _shared["launch"] = _launch()
        _shared["browser"] = next(_shared["launch"])
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if not _shared["users"]:
            next(_shared["launch"], None)  # closes the browser and stops Playwright


def _launch() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _context(browser: Any, live_server: Any, person: Any, *, phone: bool, **options: Any) -> Any:
    from django.conf import settings
    from django.test import Client

    if phone:
        options = {
            "viewport": PHONE,
            "is_mobile": True,
            "has_touch": True,
            "device_scale_factor": 2,
            **options,
        }
    else:
        options = {"viewport": DESK, **options}
    # Playwright's wait_for_function compiles its predicate in the page, which the CSP (no 'unsafe-eval') refuses:
    # the tests' own probes bypass the policy; test_content_security_policy.py opens its pages with it enforced.
    options = {"bypass_csp": True, **options}
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    if person is not None:
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Any]:
    """open_as(person, phone=False) → a Playwright page signed in as `person` (None: anonymous)."""
    contexts = []

    def open_page(person: Any, *, phone: bool = False, **options: Any) -> Any:
        context = _context(browser, live_server, person, phone=phone, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
