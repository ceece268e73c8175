"""Each market indicator against the hand-counted scene of figures_scene.py (March 2025, counted on 10 April), the
list behind every figure against the figure, scoping, and the page's query count against more units and people."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.assessment.indicators import Window, window_of
from grassroots.assessment.periods import CHINA
from grassroots.conftest import make_person
from grassroots.geo.models import Division
from grassroots.people.choices import Role

from .. import figures as fig
from ..services.inspections import inspection_create
from .figures_scene import Scene, build_scene, make_squad

pytestmark = pytest.mark.django_db

AS_OF = dt.datetime(2025, 4, 10, tzinfo=CHINA)


def month(m: int) -> Window:
    return window_of(dt.datetime(2025, m, 1, tzinfo=CHINA), dt.datetime(2025, m + 1, 1, tzinfo=CHINA), AS_OF)


MARCH_TOTAL = {
    "operating": 5,  # E1–E5 (E6 is deregistered)
    "class_A": 2,
    "class_B": 1,
    "class_C": 1,
    "class_D": 1,
    "drawn_entities": 1,  # E3, by 计划三's second draw of 14 March (the first one was superseded)
    "drawn_A": 0,
    "drawn_B": 1,
    "drawn_C": 0,
    "drawn_D": 0,
    "planned": 4,  # R2 C1 R4 M2 (R1 was arranged in February, R5 and M1 were cancelled)
    "planned_routine": 2,
    "planned_complaint": 0,
    "planned_campaign": 1,
    "planned_random": 1,
    "planned_done": 2,  # R2 C1
    "done": 7,  # R1 R2 C1 and 计划一's four
    "done_routine": 2,
    "done_complaint": 0,
    "done_campaign": 1,
    "done_random": 4,
    "drawn_targets": 1,  # M2
    "drawn_done": 0,
    "findings": 4,  # R2's one, C1's two, 计划一 E4's one
    "due_rectify": 4,  # due 7, 13, 19 and 12 March
    "rectified_on_time": 2,  # R2's (6 March), E4's (12 March); C1's first was late, its second is open
    "penalties": 2,
    "draws": 1,  # 计划三's second draw
    "publish_due": 2,  # 计划二's (due 10 March), 计划一's (due 24 March)
    "published_on_time": 1,  # 计划一, published 20 March
    "published_late": 1,  # 计划二, never published
}


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def total(scope: fig.Scope, w: Window) -> fig.Figures:
    return fig.figures_by(scope, window=w, group=None)[0]


def test_the_counts_of_march_are_the_hand_counted_ones(scene):
    march = total(fig.scope_all(), month(3))
    assert {n: march.count(n) for n in fig.COUNTS} == MARCH_TOTAL
    assert march.amount == 12000
    assert {code: str(march.value(code)) for code in fig.INDICATORS} == {
        "done_rate": "50.00%",
        "on_time_rectification": "50.00%",
        "draw_coverage": "20.00%",
        "coverage_A": "0.00%",
        "coverage_B": "100.00%",
        "coverage_C": "0.00%",
        "coverage_D": "0.00%",
        "on_time_publication": "50.00%",
    }


def test_february_draws_cover_four_of_five_entities_at_the_plans_rates(scene):
    feb = total(fig.scope_all(), month(2))
    assert [feb.count(f"drawn_{r}") for r in "ABCD"] == [1, 1, 1, 1]
    assert str(feb.value("draw_coverage")) == "80.00%" and str(feb.value("coverage_A")) == "50.00%"
    assert feb.count("draws") == 2 and feb.count("publish_due") == 0
    assert feb.count("drawn_targets") == 5 and feb.count("drawn_done") == 4  # 计划二's E5 was never inspected
    # Two draws in February: 计划二 (D only) and 计划一 (half of A).
    assert fig.plan_rates(fig.scope_all(), month(2)) == {
        "A": ["0", "0.5"],
        "B": ["0", "1"],
        "C": ["0", "1"],
        "D": ["1"],
    }


def test_as_of_cuts_the_window_and_leaves_deadlines_of_its_own_day_out(scene):
    # On 13 March at noon: R2's finding (due 7 March) and E4's (due 12 March) have fallen due; C1's (due 13
    # March) have not, the day is not over. 计划二's results fell due on 10 March.
    w = window_of(dt.datetime(2025, 3, 1, tzinfo=CHINA), dt.datetime(2025, 4, 1, tzinfo=CHINA),
                  dt.datetime(2025, 3, 13, 12, tzinfo=CHINA))  # fmt: skip
    early = total(fig.scope_all(), w)
    assert early.count("due_rectify") == 2 and early.count("rectified_on_time") == 2
    assert early.count("publish_due") == 1 and early.count("published_late") == 1
    assert early.count("planned") == 2 and early.count("planned_done") == 2  # R2, C1
    assert early.count("penalties") == 1 and early.amount == 2000


def test_a_rate_with_nothing_to_count_is_a_dash(scene):
    january = total(fig.scope_all(), month(1))
    assert str(january.value("done_rate")) == "—" and str(january.value("on_time_publication")) == "—"
    assert str(january.value("draw_coverage")) == "0.00%"  # the pool is there, nothing drawn


def split(scope: fig.Scope, group: str, names: list[str]) -> dict[str, tuple[Any, ...]]:
    return {
        f.name: (*(f.count(n) for n in names), int(f.amount))
        for f in fig.figures_by(scope, window=month(3), group=group)
    }


def test_per_unit_the_counts_add_up_to_the_total(scene):
    names = ["planned", "planned_done", "done", "drawn_targets", "findings", "due_rectify", "rectified_on_time",
             "penalties"]  # fmt: skip
    assert split(fig.scope_all(), "unit", names) == {
        "西塘市场监管所": (3, 2, 3, 0, 3, 3, 1, 2, 12000),
        "执法一队": (0, 0, 4, 0, 1, 1, 1, 0, 0),
        "执法二队": (1, 0, 0, 1, 0, 0, 0, 0, 0),
    }


def test_per_inspector_an_inspection_counts_for_each_of_its_inspectors(scene):
    names = ["planned", "planned_done", "done", "findings", "due_rectify", "rectified_on_time", "penalties"]
    assert split(fig.scope_all(), "inspector", names) == {
        "钱一": (1, 1, 2, 1, 1, 1, 1, 2000),
        "孙二": (1, 1, 2, 2, 2, 0, 1, 10000),
        "周三": (1, 1, 1, 2, 2, 0, 1, 10000),
        "吴四": (1, 0, 0, 0, 0, 0, 0, 0),
        "徐甲": (0, 0, 4, 1, 1, 1, 0, 0),
        "徐乙": (0, 0, 4, 1, 1, 1, 0, 0),
        "严丙": (1, 0, 0, 0, 0, 0, 0, 0),
        "严丁": (1, 0, 0, 0, 0, 0, 0, 0),
    }  # 郑五's only inspection was cancelled: no row


def test_every_list_holds_exactly_the_rows_its_figure_counts(scene):
    scope = fig.scope_all()
    for m in (2, 3, 4):
        w = month(m)
        for group in [None, *fig.GROUPINGS]:
            for figures in fig.figures_by(scope, window=w, group=group):
                for name in fig.COUNTS:
                    relation = fig.COUNTS[name].relation
                    if group is not None and relation not in fig.GROUPINGS[group].fields:
                        continue
                    listed = fig.drill_rows(scope, window=w, count=name, group=group, key=figures.key)
                    assert listed.count() == figures.count(name), (m, group, figures.key, name)
                penalties = fig.drill_rows(scope, window=w, count="amount", group=group, key=figures.key)
                assert sum(p.amount for p in penalties) == figures.amount
    late = fig.drill_rows(scope, window=month(3), count="published_late")
    assert [d.pk for d in late] == [scene.draws["feb"].pk]
    planned = fig.drill_rows(scope, window=month(3), count="planned")
    assert {i.pk for i in planned} == {scene.inspections[n].pk for n in ("R2", "C1", "R4", "M2")}


def test_a_village_leader_counts_only_the_village(scene):
    vic = make_person("vic", "沈村长", Role.LEADER, division=scene.world.village_a)
    village = total(fig.scope_for(vic), month(3))
    # Village A holds E1 E2 E3 (E6 deregistered); no plan's unit sits in the village, so no draws.
    assert village.count("operating") == 3 and village.count("class_A") == 2
    assert village.count("planned") == 3  # R2, R4 and M2 (of E3)
    assert village.count("done") == 4  # R1, R2, 计划一's A and E3
    assert village.count("findings") == 1 and village.count("penalties") == 1 and village.amount == 2000
    assert village.count("draws") == 0 and village.count("publish_due") == 0


def test_an_inspector_sees_the_township_but_only_their_units_plans(scene):
    counted = total(fig.scope_for(scene.inspector(4)), month(3))
    assert counted.count("planned") == 4 and counted.count("publish_due") == 0
    x1 = total(fig.scope_for(scene.squad["x1"]), month(3))
    assert x1.count("publish_due") == 1 and x1.count("published_on_time") == 1  # 计划一 is 一队's


def test_an_area_narrows_every_relation(scene):
    b = total(fig.scope_all(scene.world.village_b.code), month(3))
    assert b.count("operating") == 2 and b.count("class_C") == 1 and b.count("class_D") == 1
    assert b.count("planned") == 1 and b.count("findings") == 3  # C1 (E4) and 计划一's E4
    assert b.count("penalties") == 1 and b.amount == 10000
    # Draws in the area: those that assigned a target there (计划二 E5; 计划一 E4, E5).
    assert b.count("publish_due") == 2


# -- the page -----------------------------------------------------------------------------------------------


@pytest.fixture
def leo(scene):
    return make_person("leo", "刘建华", Role.LEADER, division=scene.world.township)


def page_queries(client: Any, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("market:figures"), params)
    assert response.status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_units_or_inspectors(scene, leo):
    client = scene.world.client_for(leo)
    before = page_queries(client, {"period": "2025-03"})
    # Ten more units, each with an inspector who inspected E1 in March.
    for n in range(10):
        unit, (person,) = make_squad(
            scene.world, f"TMP{n}", f"临时队{n}", [(f"tmp{n}", f"临时员{n}")], 500 + n
        )
        inspection_create(actor=scene.office.dora, entity=scene.entities["E1"], kind="routine", unit=unit,
                          inspectors=[person], now=dt.datetime(2025, 3, 5, tzinfo=CHINA))  # fmt: skip
    after = page_queries(client, {"period": "2025-03"})
    assert after == before
    html = client.get(reverse("market:figures"), {"period": "2025-03"}).content.decode()
    assert "临时队9" in html and "临时员9" in html


def test_the_page_shows_every_table_and_each_number_links_to_its_rows(scene, leo):
    client = scene.world.client_for(leo)
    html = client.get(reverse("market:figures"), {"period": "2025-03"}).content.decode()
    for text in ("按检查单位", "按检查人员", "执法一队", "徐甲", "12,000.00", "50.00%", "20.00%"):
        assert text in html, text
    rows_url = reverse("market:figure_rows")
    assert f"{rows_url}?period=2025-03&amp;area=330421102&amp;count=planned" in html
    assert f"{rows_url}?period=2025-03&amp;area=330421102&amp;indicator=done_rate" in html


def test_every_figure_on_the_page_lists_as_many_rows(scene, leo):
    client = scene.world.client_for(leo)
    url = reverse("market:figure_rows")
    w = window_of(dt.datetime(2025, 3, 1, tzinfo=CHINA), dt.datetime(2025, 4, 1, tzinfo=CHINA),
                  dt.datetime.now(CHINA))  # fmt: skip
    scope = fig.scope_for(leo, scene.world.township.code)

    def listed(**params: Any) -> int:
        page = client.get(url, {"period": "2025-03", **params})
        assert page.status_code == 200
        return int(page.context["page"].paginator.count)

    for group in [None, *fig.GROUPINGS]:
        for figures in fig.figures_by(scope, window=w, group=group):
            key = {"group": group, "key": figures.key} if group else {}
            for name in fig.COUNTS:
                if group and fig.COUNTS[name].relation not in fig.GROUPINGS[group].fields:
                    continue
                assert listed(count=name, **key) == figures.count(name), (group, figures.key, name)
            for code, indicator in fig.INDICATORS.items():
                if group and group not in indicator.subject_kinds:
                    continue
                value = figures.value(code)
                assert listed(indicator=code, **key) == value.denominator, (group, figures.key, code)
                assert listed(indicator=code, show="hit", **key) == value.numerator, (
                    group,
                    figures.key,
                    code,
                )


def test_a_rate_lists_its_denominator_marked_by_its_numerator(scene, leo):
    client = scene.world.client_for(leo)
    url = reverse("market:figure_rows")
    page = client.get(url, {"period": "2025-03", "indicator": "on_time_rectification"})
    html = page.content.decode()
    assert "按期整改率 50.00%（2 / 4）" in html
    assert page.context["page"].paginator.count == 4
    missed = client.get(url, {"period": "2025-03", "indicator": "on_time_rectification", "show": "miss"})
    assert {f.description for f in missed.context["page"]} == {"冷藏柜温度超标", "过期食品未下架"}
    draws = client.get(url, {"period": "2025-03", "indicator": "on_time_publication", "show": "hit"})
    assert [d.pk for d in draws.context["page"]] == [scene.draws["p1"].pk]


def test_a_leader_of_another_township_sees_none_of_it(scene):
    other = Division.objects.create(
        code="330421001", name="魏塘街道", level="township", kind="town", parent=scene.world.district
    )
    wu = make_person("wu", "吴海", Role.LEADER, division=other)
    client = scene.world.client_for(wu)
    page = client.get(reverse("market:figure_rows"), {"period": "2025-03", "count": "done"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    assert client.get(reverse("market:figures"), {"area": "330421102"}).status_code == 404


def test_a_grid_worker_may_not_open_the_figures(scene):
    client = scene.world.client_for(scene.world.alice)
    assert client.get(reverse("market:figures")).status_code == 403
    assert client.get(reverse("market:figure_rows"), {"count": "done"}).status_code == 403


def test_an_unknown_figure_or_grouping_is_not_found(scene, leo):
    client = scene.world.client_for(leo)
    url = reverse("market:figure_rows")
    assert client.get(url, {"count": "nothing"}).status_code == 404
    assert client.get(url, {"count": "done", "group": "village", "key": "1"}).status_code == 404
    assert client.get(url, {"count": "operating", "group": "unit", "key": "1"}).status_code == 404
