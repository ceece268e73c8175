"""/api/v1/powers: the published powers to everyone signed in, the unpublished ones of their area to the enforcement
roles; filters; pages by code that neither skip nor repeat; one power with its discretion table."""

import pytest
from django.test import Client

from .powers_files import Cast, build_cast, make_power

pytestmark = pytest.mark.django_db

TABLE = [
    {
        "level": "heavier",
        "circumstances": "拒不改正",
        "min": 350,
        "max": 500,
        "measure": "处 350 元以上 500 元以下罚款",
    },
    {"level": "none", "circumstances": "初次违法且及时改正", "min": None, "max": None, "measure": "不予处罚"},
]


@pytest.fixture
def cast(world) -> Cast:
    cast = build_cast(world)
    make_power(cast.squad, "CF33042101001", "对擅自占用城市道路设摊经营的行政处罚", discretion=TABLE)
    make_power(cast.squad, "CF33042101002", "对乱扔烟蒂的行政处罚", published=False)
    make_power(cast.squad, "CF33042104001", "对露天烧烤食品的行政处罚", field="环境保护")
    make_power(cast.squad, "QZ33042101001", "扣押违法设摊经营的物品和工具")
    make_power(cast.other_squad, "CF33042101901", "对魏塘的设摊经营的行政处罚")
    make_power(cast.other_squad, "CF33042101902", "对魏塘未公布的行政处罚", published=False)
    return cast


def _get(person, url: str):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client.get(url)


def _codes(person, query: str = "") -> list[str]:
    answer = _get(person, f"/api/v1/powers?{query}")
    assert answer.status_code == 200, answer.json()
    return [p["code"] for p in answer.json()["items"]]


def test_signing_in_is_required(cast):
    answer = _get(None, "/api/v1/powers")
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"


def test_everyone_reads_the_published_and_an_inspector_also_their_areas_unpublished(cast):
    published = ["CF33042101001", "CF33042101901", "CF33042104001", "QZ33042101001"]
    assert _codes(cast.alice) == published
    assert _codes(cast.ivan) == ["CF33042101001", "CF33042101002", *published[1:]]
    assert _codes(cast.wanda) == ["CF33042101001", "CF33042101901", "CF33042101902", *published[2:]]
    assert _codes(cast.sam, "published=false") == ["CF33042101002", "CF33042101902"]
    assert _codes(cast.alice, "published=false") == []


def test_the_filters(cast):
    ivan = cast.ivan
    assert _codes(ivan, "category=QZ") == ["QZ33042101001"]
    assert _codes(ivan, "field=环境保护") == ["CF33042104001"]
    assert _codes(ivan, "q=设摊") == ["CF33042101001", "CF33042101901", "QZ33042101001"]
    assert _codes(ivan, "unit=330421001-ZFZD") == ["CF33042101901"]
    assert _codes(ivan, "township=330421102&published=true") == [
        "CF33042101001",
        "CF33042104001",
        "QZ33042101001",
    ]
    answer = _get(ivan, "/api/v1/powers?category=XK")
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"


def test_pages_follow_the_code_without_skipping_or_repeating(cast):
    seen, cursor = [], ""
    for _ in range(10):
        body = _get(cast.sam, f"/api/v1/powers?limit=2{'&cursor=' + cursor if cursor else ''}").json()
        seen += [p["code"] for p in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted(seen) == _codes(cast.sam) and len(seen) == 6
    bad = _get(cast.sam, "/api/v1/powers?cursor=not-a-code")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"


def test_one_power_with_its_discretion_table_lightest_first(cast):
    body = _get(cast.alice, "/api/v1/powers/CF33042101001").json()
    assert body["unit"] == {
        "code": "330421102-ZFZD",
        "name": "综合行政执法西塘中队",
        "division_code": "330421102",
    }
    assert [row["level"] for row in body["discretion"]] == ["none", "heavier"]
    assert body["discretion"][1] | {} == {
        "level": "heavier",
        "level_label": "从重处罚",
        "circumstances": "拒不改正",
        "min": 350,
        "max": 500,
        "measure": "处 350 元以上 500 元以下罚款",
    }
    assert body["penalty_basis"].startswith("《城市市容和环境卫生管理条例》")


def test_an_unpublished_power_is_not_found_outside_its_area(cast):
    assert _get(cast.alice, "/api/v1/powers/CF33042101002").status_code == 404
    assert _get(cast.wanda, "/api/v1/powers/CF33042101002").json()["code"] == "power_not_found"
    assert _get(cast.ivan, "/api/v1/powers/CF33042101002").json()["published"] is False
