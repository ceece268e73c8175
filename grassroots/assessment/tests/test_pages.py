"""The assessment pages through HTTP: who may see them, scope, drill-downs, exports (audited) and query counts."""

import io

import pytest
from openpyxl import load_workbook

from grassroots.assessment.models import Scheme
from grassroots.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def leo(scenario):
    return scenario.world.client_for(scenario.leo)


def test_the_indicator_table_ranks_villages_and_links_every_figure(scenario, leo):
    page = leo.get("/assessment/?period=2026-03").content.decode()
    assert "红菱村" in page and "鸦鹊村" in page
    assert "/assessment/indicator/on_time_completion/?" in page
    assert "按期结案率" in page and "66.67%" in page  # village A: 2 of 3 on time


@pytest.mark.parametrize("kind", ["township", "village", "grid", "platform", "unit", "person"])
def test_every_subject_kind_renders_within_a_pinned_number_of_queries(
    scenario, leo, kind, django_assert_max_num_queries
):
    # 23: five of them (one per figure cube) ask the rollups whether they can answer (never built here).
    with django_assert_max_num_queries(23):
        response = leo.get(f"/assessment/?period=2026-03&subject={kind}")
    assert response.status_code == 200


def test_roles_without_assessment_answer_404(scenario):
    for person in (scenario.world.alice, scenario.world.dora, scenario.world.bob):
        client = scenario.world.client_for(person)
        for url in ("/assessment/", "/assessment/dashboard/", "/assessment/schemes/", "/assessment/reports/"):
            assert client.get(url).status_code == 404, (person.username, url)


def test_an_area_outside_the_viewers_scope_answers_404(scenario, leo):
    assert leo.get("/assessment/?area=330421").status_code == 404  # the leader sees his township only
    assert leo.get("/assessment/?area=330421102201").status_code == 200  # a village inside it
    centre = scenario.world.client_for(scenario.cora)
    assert centre.get("/assessment/?area=330421").status_code == 200


def test_the_drill_down_lists_the_denominator_and_marks_the_numerator(scenario, leo):
    grid = scenario.world.grid_a.pk
    url = f"/assessment/indicator/on_time_completion/?period=2026-03&subject=grid&key={grid}"
    page = leo.get(url).content.decode()
    numbers = {name: scenario.e(name).number for name in ("E1", "E6", "E11", "E2", "E9")}
    assert numbers["E1"] in page and numbers["E6"] in page and numbers["E11"] in page
    assert numbers["E2"] not in page and numbers["E9"] not in page  # another grid; due in April
    assert "按期结案率 66.67%（2 / 3）" in page
    missed = leo.get(url + "&show=miss").content.decode()
    assert numbers["E6"] in missed and numbers["E1"] not in missed  # reopened: not on time


def test_a_count_drills_down_to_its_rows(scenario, leo):
    page = leo.get("/assessment/count/dispatched/?period=2026-03").content.decode()
    assert page.count(scenario.e("E6").number) == 4  # four dispatch tasks
    assert (
        scenario.e("E7").number not in leo.get("/assessment/count/reported/?period=2026-03").content.decode()
    )


def test_an_unknown_subject_in_a_drill_down_answers_404(scenario, leo):
    assert (
        leo.get("/assessment/indicator/completion/?period=2026-03&subject=grid&key=999999").status_code == 404
    )
    assert leo.get("/assessment/indicator/nonsense/").status_code == 404


def test_exports_are_workbooks_of_the_page_table_and_are_audited(scenario, leo):
    response = leo.get(
        "/assessment/?period=2026-03&subject=unit&export=xlsx&reason=周例会通报&table=indicators"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[2] for row in values]
    assert "西塘市场监管所" in names and "西塘综合执法中队" in names
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == scenario.leo.pk and entry.object_id == "assessment.indicators"
    assert entry.detail["rows"] >= 2


def test_a_drill_down_export_lists_every_row_with_its_mark(scenario, leo):
    response = leo.get("/assessment/indicator/on_time_handling/?period=2026-03&export=xlsx&reason=周例会通报")
    sheet = load_workbook(io.BytesIO(response.content)).active
    marks = [row[-1].value for row in sheet.iter_rows(min_row=4)]
    assert sorted(marks) == ["否", "否"] + ["是"] * 8


def test_the_dashboard_shows_the_figures_of_the_area(scenario, leo):
    page = leo.get("/assessment/dashboard/?period=2026-03").content.decode()
    assert "领导驾驶舱" in page and "按期结案率" in page
    assert "50.00%" in page  # on-time completion 4 / 8
    assert "12.50%" in page  # solved in village 1 / 8
    data = leo.get("/assessment/dashboard/hotspots.json?period=2026-03").json()
    counts = {f["properties"]["id"]: f["properties"]["count"] for f in data["features"]}
    assert counts == {scenario.world.grid_a.pk: 8, scenario.world.grid_b.pk: 5}
    market = leo.get("/assessment/dashboard/hotspots.json?period=2026-03&type=SC01").json()
    assert market["total"] == 1


def test_the_dashboard_exports_each_of_its_tables(scenario, leo):
    response = leo.get("/assessment/dashboard/?period=2026-03&export=xlsx&reason=周例会通报")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 5
    response = leo.get("/assessment/dashboard/?period=2026-03&export=xlsx&reason=周例会通报&table=platforms")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=3)}
    assert rows["市场监管"] == 1 and rows["综合执法"] == 12


def test_the_schemes_page_describes_the_joint_schemes(scenario, leo):
    page = leo.get("/assessment/schemes/?period=2026-03").content.decode()
    assert "镇街 60%" in page and "行风效能" in page
    zhenhai = Scheme.objects.get(code="zhenhai-agency")
    results = leo.get(f"/assessment/schemes/{zhenhai.pk}/?period=2026-03").content.decode()
    assert "待评" in results  # the department has not rated yet


def test_the_district_tab_is_for_district_wide_viewers(scenario, leo):
    assert leo.get("/assessment/?period=2026-03&subject=district").status_code == 404
    centre = scenario.world.client_for(scenario.cora)
    page = centre.get("/assessment/?period=2026-03&subject=district&area=330421").content.decode()
    assert "嘉善县" in page and "13</a>" in page  # all thirteen reports of March are in the district


def test_the_report_list_and_the_raters_page_export_their_tables_too(scenario, leo):
    response = leo.get("/assessment/reports/?export=xlsx&reason=周例会通报")
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "分析报告"
    department = Scheme.objects.get(code="zhenhai-agency").parts.get(method="manual")
    rita = scenario.world.client_for(scenario.rita)
    response = rita.get(f"/assessment/ratings/{department.pk}/?period=2026-03&export=xlsx&reason=周例会通报")
    names = [row[0].value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3)]
    assert names == ["西塘市场监管所"]
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_a_viewer_of_every_district_may_choose_all_of_them(scenario, leo):
    """A city or province account sees each district, and all of them together (an empty area is its home
    district); no one else may ask for all."""
    from grassroots.geo.choices import DivisionLevel
    from grassroots.geo.models import Division
    from grassroots.people.models import Person

    root = scenario.world.client_for(
        Person.objects.create_superuser(username="root", password="x", name="省级")
    )
    single = root.get("/assessment/dashboard/?period=2026-03").content.decode()
    assert 'value="all"' not in single  # one district: nothing more to choose
    Division.objects.create(code="330481", name="海宁市", level=DivisionLevel.DISTRICT, kind="district")
    home = root.get("/assessment/dashboard/?period=2026-03").content.decode()
    assert '<option value="all">全部区县</option>' in home and "嘉善县 · 2026年3月" in home
    every = root.get("/assessment/dashboard/?period=2026-03&area=all").content.decode()
    assert '<option value="all" selected>全部区县</option>' in every and "全部区县 · 2026年3月" in every
    assert "区县排名" in every and "海宁市" in every  # ranked by district
    assert "area=all" in every  # the links (previous period, exports) keep the choice
    assert leo.get("/assessment/dashboard/?period=2026-03&area=all").status_code == 404


def test_units_named_from_a_long_list_are_the_same_units(scenario, monkeypatch):
    """Past LONG_IN units are picked in Python instead of an IN list: the same subjects either way."""
    from grassroots.assessment import subjects
    from grassroots.assessment.areas import Area
    from grassroots.assessment.choices import SubjectKind
    from grassroots.org.choices import UnitKind
    from grassroots.org.models import Unit

    handling = Unit.objects.exclude(kind__in=[UnitKind.COMMAND_ROOM, UnitKind.COMMAND_CENTRE])
    outside = handling.exclude(division__code__startswith="330421102").order_by("pk").first()
    assert outside is not None
    cases = [
        (Area("330421102", ""), {str(outside.pk)}, False),  # the township's units and one named from outside
        (Area("", ""), {str(outside.pk)}, True),  # just the named one
        (Area("", ""), set(), False),  # every unit
    ]
    short = [subjects.subjects_of(SubjectKind.UNIT, a, keys, only_extra=o) for a, keys, o in cases]
    assert len(short[0]) > 1 and [s.key for s in short[1]] == [str(outside.pk)]
    monkeypatch.setattr(subjects, "LONG_IN", 0)
    assert [subjects.subjects_of(SubjectKind.UNIT, a, keys, only_extra=o) for a, keys, o in cases] == short
