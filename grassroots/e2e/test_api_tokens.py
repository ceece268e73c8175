"""A new user's first API call, as docs/api.md tells it: issue a token on the 令牌 page, read it off the page, call
/api/v1/units with it over HTTP, revoke it on the page, and the same call is refused."""

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def get_units(base_url: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base_url}/api/v1/units", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_user_issues_a_token_calls_the_api_and_revokes_it(world, open_as, live_server):
    page = open_as(world.oscar)
    page.goto("/command/")
    page.click("[data-testid=nav-tokens]")
    page.fill("#id_name", "我的第一个令牌")
    page.check("input[name=scope][value=read]")
    page.select_option("#id_days", "30")
    page.click("[data-testid=token-issue]")
    key = page.inner_text("[data-testid=new-token]").strip()
    assert len(key) > 30
    assert key in page.inner_text("pre.curl")

    status, body = get_units(live_server.url, key)
    assert status == 200
    assert {u["code"] for u in body["items"]} == {"330421102-ZHS", "330421102-SCJGS"}

    page.goto("/account/tokens/")
    assert key not in page.content()  # shown once
    row = page.locator("[data-testid=own-tokens] tbody tr", has_text="我的第一个令牌")
    row.get_by_role("button", name="吊销").click()
    page.wait_for_selector("text=已吊销令牌")
    assert (
        "已吊销" in page.locator("[data-testid=own-tokens] tbody tr", has_text="我的第一个令牌").inner_text()
    )

    status, body = get_units(live_server.url, key)
    assert status == 401 and body["code"] == "unauthenticated"
