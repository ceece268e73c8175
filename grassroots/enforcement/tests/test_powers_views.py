"""The power list's pages through HTTP: the staff's list (search, filters, counts per category, scope), one power,
publishing, the import page with its row errors, the export; the public list and page (only what is published);
and the seed figure."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ..models import Power
from .powers_files import Cast, build_cast, good_file, make_power, power_row, table_rows, write_workbook

pytestmark = pytest.mark.django_db

DISCRETION = [
    {
        "level": "general",
        "circumstances": "情节一般",
        "min": 200,
        "max": 350,
        "measure": "处 200 元以上 350 元以下罚款",
    },
    {
        "level": "lighter",
        "circumstances": "情节较轻",
        "min": 50,
        "max": 200,
        "measure": "处 50 元以上 200 元以下罚款",
    },
]


@pytest.fixture
def cast(world) -> Cast:
    cast = build_cast(world)
    make_power(cast.squad, "CF33042101001", "对擅自占用城市道路设摊经营的行政处罚", discretion=DISCRETION)
    make_power(cast.squad, "CF33042101002", "对乱扔烟蒂的行政处罚", published=False)
    make_power(cast.squad, "CF33042104001", "对露天烧烤食品的行政处罚", field="环境保护")
    make_power(cast.squad, "QZ33042101001", "扣押违法设摊经营的物品和工具")
    make_power(cast.squad, "JC33042101001", "对户外广告设施设置的行政检查")
    make_power(cast.other_squad, "CF33042101901", "对魏塘的设摊经营的行政处罚")
    return cast


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_an_inspector_lists_their_townships_powers_with_counts_per_category(cast):
    page = _client(cast.ivan).get("/enforcement/powers/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "共 5 项，已公布 4 项" in text
    assert page.context["counts"] | {} == {"all": 5, "published": 4, "CF": 3, "QZ": 1, "JC": 1, "QT": 0}
    assert "魏塘" not in text  # another township's unit
    assert "导入 Excel" not in text  # an inspector reads only


def test_search_and_filters_narrow_the_list_and_the_tabs_count_within_them(cast):
    client = _client(cast.petra)

    def codes(query: str) -> list[str]:
        return [p.code for p in client.get(f"/enforcement/powers/?{query}").context["page"]]

    assert codes("q=设摊") == ["CF33042101001", "QZ33042101001"]
    assert codes("q=设摊 处罚") == ["CF33042101001"]
    assert codes("q=cf3304210400") == ["CF33042104001"]
    assert codes("field=环境保护") == ["CF33042104001"]
    assert codes("category=JC") == ["JC33042101001"]
    assert codes("status=draft") == ["CF33042101002"]
    assert codes("unit=330421001-ZFZD") == []
    counts = client.get("/enforcement/powers/?q=设摊&category=CF").context["counts"]
    assert counts["all"] == 2 and counts["CF"] == 1 and counts["QZ"] == 1


def test_the_list_page_takes_the_same_few_queries_for_many_powers(cast):
    client = _client(cast.ivan)
    client.get("/enforcement/powers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/enforcement/powers/")
    Power.objects.bulk_create(
        Power(
            code=f"CF3304210200{n:02d}",
            name=f"对第{n}项违法行为的行政处罚",
            category="CF",
            unit=cast.squad,
            field="城乡规划",
        )
        for n in range(80)
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/enforcement/powers/")
    assert len(page.context["page"]) == 50
    assert len(many) == len(few) <= 14


def test_people_outside_the_enforcement_roles_and_townships_are_refused(cast, world):
    assert _client(cast.alice).get("/enforcement/powers/").status_code == 403
    assert _client(cast.wanda).get("/enforcement/powers/CF33042101001/").status_code == 404
    assert _client(cast.wanda).get("/enforcement/powers/CF33042101901/").status_code == 200
    assert Client().get("/enforcement/powers/").status_code == 302  # to the login page


def test_a_powers_page_shows_its_discretion_table_lightest_first(cast):
    page = _client(cast.ivan).get("/enforcement/powers/CF33042101001/")
    assert [row["label"] for row in page.context["discretion"]] == ["从轻处罚", "一般处罚"]
    text = page.content.decode()
    assert "50–200 元" in text and "200–350 元" in text and "情节较轻" in text
    assert 'data-testid="publish"' not in text and 'data-testid="unpublish"' not in text


def test_the_coordinator_publishes_and_withdraws_and_an_inspector_may_not(cast):
    petra = _client(cast.petra)
    assert _client(cast.ivan).post("/enforcement/powers/CF33042101002/publish/").status_code == 403
    assert 'data-testid="publish"' in petra.get("/enforcement/powers/CF33042101002/").content.decode()
    answer = petra.post("/enforcement/powers/CF33042101002/publish/", follow=True)
    assert "已公布 CF33042101002" in answer.content.decode()
    assert Power.objects.get(code="CF33042101002").published
    petra.post("/enforcement/powers/CF33042101002/unpublish/")
    assert not Power.objects.get(code="CF33042101002").published


def test_a_bad_upload_shows_its_row_errors_and_a_good_one_reports_its_counts(cast, tmp_path):
    petra = _client(cast.petra)
    assert _client(cast.ivan).get("/enforcement/powers/import/").status_code == 403
    assert petra.get("/enforcement/powers/import/").status_code == 200
    bad = write_workbook(
        tmp_path / "有错.xlsx",
        [power_row("CF33042101001", "对设摊经营的行政处罚", {"职权类型": "行政许可"})],
        table_rows("CF33042101001"),
    )
    with bad.open("rb") as upload:
        answer = petra.post("/enforcement/powers/import/", {"file": upload})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert (
        "发现 1 处错误，未导入任何内容" in text and "第 2 行" in text and "未知的职权类型“行政许可”" in text
    )
    assert Power.objects.get(code="CF33042101001").category == "CF"

    with good_file(tmp_path).open("rb") as upload:
        answer = petra.post("/enforcement/powers/import/", {"file": upload}, follow=True)
    assert "导入完成：新增 0 项，更新 3 项，未变化 0 项" in answer.content.decode()
    with (tmp_path / "清单.csv").open("wb") as f:
        f.write(b"a,b\n")
    with (tmp_path / "清单.csv").open("rb") as upload:
        refused = petra.post("/enforcement/powers/import/", {"file": upload})
    assert "只能上传 Excel 文件（.xlsx）" in refused.content.decode()


def test_the_export_downloads_what_the_list_shows(cast):
    answer = _client(cast.ivan).get("/enforcement/powers/export.xlsx?field=市容环卫")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content))["职权"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "CF33042101001",
        "CF33042101002",
        "JC33042101001",
        "QZ33042101001",
    ]


def test_the_public_list_shows_only_published_powers_without_a_login(cast):
    client = Client()
    page = client.get("/s/powers/")
    assert page.status_code == 200
    codes = {p.code for p in page.context["page"]}
    assert "CF33042101002" not in codes and {"CF33042101001", "CF33042101901"} <= codes
    found = client.get("/s/powers/?q=烟蒂")
    assert list(found.context["page"]) == [] and "没有找到相关职权" in found.content.decode()
    assert [p.code for p in client.get("/s/powers/?q=烧烤").context["page"]] == ["CF33042104001"]
    assert [p.code for p in client.get("/s/powers/?township=330421001").context["page"]] == ["CF33042101901"]
    assert 'name="viewport"' in page.content.decode()


def test_a_public_power_page_shows_its_discretion_table_and_an_unpublished_one_is_absent(cast):
    client = Client()
    page = client.get("/s/powers/CF33042101001/")
    text = page.content.decode()
    assert "行政处罚裁量基准" in text and "从轻处罚" in text and "50–200 元" in text
    assert client.get("/s/powers/CF33042101002/").status_code == 404


def test_seed_figures_counts_xitangs_powers(cast):
    out = StringIO()
    call_command("seed_figures", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "西塘镇下放执法权力事项" in line)
    assert "1,073" in line and " 5 " in line and "已公布 4 项" in line
