"""The login page in a real browser: Chinese, no English leaking, and a login reaches the person's first page."""

import pytest

from grassroots.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_grid_worker_logs_in_on_a_phone(world, open_as):
    page = open_as(None, phone=True)
    page.goto("/login/")
    assert page.title().startswith("登录")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text(".form-error")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "王丽丽" in page.content()
