"""Each figure of the enforcement cases against the hand-counted scene of figures_scene.py (June 2026, counted on
10 July), the cases behind every figure against the figure, the period's boundaries, scoping, and the page: its
query count against more cases, units and officers, its lists, and a further section plugged in."""

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.assessment.indicators import Window, window_of
from grassroots.conftest import make_person
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workflow.models import Clock

from .. import figures as fig
from ..models import EnforcementCase, Power
from .figures_scene import AS_OF, Scene, at, build_scene, filed
from .support import certify

pytestmark = pytest.mark.django_db


def month(m: int, as_of: dt.datetime = AS_OF) -> Window:
    return window_of(at(m, 1, 0), at(m + 1, 1, 0), as_of)


JUNE_TOTAL = {
    "filed": 3,  # C1 (1 June 00:00:00), C8 (30 June 23:59:59), C11 (魏塘)
    "not_filed": 1,  # C5
    "closed": 4,  # C2 C3 C12 and the simple C6
    "closed_general": 3,  # C2 C3 C12
    "closed_on_time": 2,  # C2 (decided 20 May, due 2 June), C12 (decided 15 June, due 1 July)
    "closed_late": 1,  # C3 (decided 10 June, due 8 April)
    "penalties": 3,  # C3 (5,000), C6 (200, on the spot), C11 (a warning)
    "simple": 1,  # C6
    "hearings": 1,  # C7
    "overdue_now": 2,  # C4 (running, due 11 April), C13 (paused for its hearing after the limit ran out)
}


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def total(cases: Any, w: Window) -> fig.Figures:
    return fig.figures_by(cases, window=w, group=None)[0]


def test_the_scene_runs_against_the_limits_it_says(scene):
    def case_clock(name: str) -> Clock:
        return Clock.objects.get(workflow="case", object_id=scene.case(name).pk, name="case")

    # 5 January + 90 日 ends on 5 April, in the 清明 holiday (4–6 April): the period runs to 7 April.
    assert case_clock("C3").due_at == at(4, 8, 0) and case_clock("C3").overdue
    assert case_clock("C4").state == "running" and case_clock("C4").due_at == at(4, 11, 0)
    c13 = case_clock("C13")
    assert c13.state == "paused" and c13.consumed_seconds >= c13.budget_seconds
    assert case_clock("C2").state == "stopped" and not case_clock("C2").overdue
    assert not Clock.objects.filter(workflow="case", object_id=scene.case("C6").pk, name="case").exists()


def test_the_counts_of_june_are_the_hand_counted_ones(scene):
    june = total(fig.scope_all(), month(6))
    assert {n: june.count(n) for n in fig.COUNTS} == JUNE_TOTAL
    assert june.amount == 5200  # 5,000 + 200; the warning has no amount
    assert {code: str(june.value(code)) for code in fig.INDICATORS} == {
        "on_time_rate": "66.67%",  # 2 / 3
        "simple_share": "33.33%",  # 1 / 3
    }


def test_a_rate_with_nothing_to_count_is_a_dash(scene):
    february = total(fig.scope_all(), month(2))
    assert str(february.value("on_time_rate")) == "—" and str(february.value("simple_share")) == "—"
    assert (
        february.count("filed") == 0 and february.count("overdue_now") == 2
    )  # a state now, whatever the period


def test_the_periods_boundaries_are_half_open(scene):
    def listed(w: Window, count: str) -> set[int]:
        return set(fig.drill_rows(fig.scope_all(), window=w, count=count).values_list("pk", flat=True))

    assert listed(month(6), "filed") == scene.pks("C1", "C8", "C11")
    assert listed(month(5), "filed") == scene.pks("C7", "C10")  # 31 May 23:59:59 is May's
    assert listed(month(7), "filed") == scene.pks("C9")  # 1 July 00:00:00 is July's
    may = total(fig.scope_all(), month(5))
    assert may.count("penalties") == 1 and may.amount == 2000  # C2
    assert may.count("closed") == 0 and may.count("hearings") == 0
    assert listed(month(1), "filed") == scene.pks("C3", "C4", "C13")
    # On 10 June at noon: C3's fine (decided at 10:00) is in, C6's (12 June) not yet; only C2 was closed.
    early = total(fig.scope_all(), month(6, as_of=at(6, 10, 12)))
    assert early.count("penalties") == 1 and early.amount == 5000 and early.count("simple") == 0
    assert early.count("closed") == 1 and early.count("closed_on_time") == 1
    assert early.count("filed") == 2 and early.count("not_filed") == 1  # C1 C11; C5 refused 8 June


def split(cases: Any, group: str, names: list[str]) -> dict[str, tuple[Any, ...]]:
    return {
        f.name: (*(f.count(n) for n in names), int(f.amount))
        for f in fig.figures_by(cases, window=month(6), group=group)
    }


NAMES = ["filed", "not_filed", "closed", "closed_general", "closed_on_time", "closed_late", "penalties", "simple",
         "hearings", "overdue_now"]  # fmt: skip


def test_per_unit_the_counts_add_up_to_the_total(scene):
    assert split(fig.scope_all(), "unit", NAMES) == {
        "西塘镇综合行政执法队": (2, 1, 4, 3, 2, 1, 2, 1, 1, 2, 5200),
        "魏塘街道综合行政执法队": (1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
    }


def test_per_officer_a_case_counts_for_each_officer_named_on_it(scene):
    assert split(fig.scope_all(), "officer", NAMES) == {
        # olga: C1; C5; C2 C6 C12 closed (C2 C12 general, on time); C6's 200; C7's hearing; C4 overdue
        "欧阳青": (1, 1, 3, 2, 2, 0, 1, 1, 1, 1, 200),
        # owen: C1 C8; C5; C3 C6 closed (C3 general, late); C3 C6 penalties; C4 C13 overdue
        "王文": (2, 1, 2, 1, 0, 1, 2, 1, 0, 2, 5200),
        # oliver: C8; C2 C3 C12 closed, all general (C3 late); C3's 5,000; C7's hearing; C13 overdue
        "吴立": (1, 0, 3, 3, 2, 1, 1, 0, 1, 1, 5000),
        "彭一": (1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
        "彭二": (1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
    }


def test_every_list_holds_exactly_the_cases_its_figure_counts(scene):
    cases = fig.scope_all()
    for m in (1, 4, 5, 6, 7):
        w = month(m)
        for group in [None, *fig.GROUPINGS]:
            for figures in fig.figures_by(cases, window=w, group=group):
                for name in fig.COUNTS:
                    listed = fig.drill_rows(cases, window=w, count=name, group=group, key=figures.key)
                    assert listed.count() == figures.count(name), (m, group, figures.key, name)
                    assert len({c.pk for c in listed}) == figures.count(name)  # no case twice
                fines = fig.drill_rows(cases, window=w, count="amount", group=group, key=figures.key)
                assert sum(c.decided_amount or 0 for c in fines) == figures.amount
    june = month(6)
    assert set(
        fig.drill_rows(cases, window=june, count="closed_late").values_list("pk", flat=True)
    ) == scene.pks("C3")
    assert set(
        fig.drill_rows(cases, window=june, count="overdue_now").values_list("pk", flat=True)
    ) == scene.pks("C4", "C13")
    assert set(
        fig.drill_rows(cases, window=june, count="not_filed").values_list("pk", flat=True)
    ) == scene.pks("C5")


def test_a_township_leader_counts_only_the_units_of_the_township(scene):
    lena = scene.team.lena  # 西塘镇's leader
    june = total(fig.scope_for(lena), month(6))
    assert june.count("filed") == 2 and june.count("penalties") == 2 and june.amount == 5200
    assert [f.name for f in fig.figures_by(fig.scope_for(lena), window=month(6), group="unit")] == [
        "西塘镇综合行政执法队"
    ]
    assert "彭一" not in split(fig.scope_for(lena), "officer", NAMES)
    wu = total(fig.scope_for(scene.other.lena), month(6))  # 魏塘街道's leader
    assert {n: wu.count(n) for n in ("filed", "penalties", "closed", "overdue_now")} == {
        "filed": 1,
        "penalties": 1,
        "closed": 0,
        "overdue_now": 0,
    }
    county = make_person("cao", "曹县长", Role.LEADER, division=scene.world.district)
    assert {n: total(fig.scope_for(county), month(6)).count(n) for n in fig.COUNTS} == JUNE_TOTAL
    xitang_only = total(fig.scope_for(county, scene.world.township.code), month(6))
    assert xitang_only.count("filed") == 2 and xitang_only.count("penalties") == 2


def test_an_officer_counts_their_units_cases(scene):
    peng = total(fig.scope_for(scene.other.officers[0]), month(6))
    assert peng.count("filed") == 1 and peng.count("closed") == 0
    olga = total(fig.scope_for(scene.team.olga), month(6))
    assert olga.count("closed") == 4 and olga.count("penalties") == 2


# -- the page -----------------------------------------------------------------------------------------------


def page_queries(client: Any, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enforcement:figures"), params)
    assert response.status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_cases_units_or_officers(scene):
    client = scene.world.client_for(scene.team.lena)
    before = page_queries(client, {"period": "2026-06"})
    for n in range(3):
        unit = Unit.objects.create(
            code=f"330421102-ZF{n}",
            name=f"西塘镇执法中队{n}",
            kind="township_office",
            division=scene.world.township,
        )
        power = Power.objects.create(
            code=f"3302170190{n}9", name="占道经营", category="CF", basis="条例", unit=unit, published=True,
            discretion=scene.team.power.discretion,
        )  # fmt: skip
        officers = []
        for k in range(2):
            person = make_person(f"tmp{n}{k}", f"临时员{n}{k}", Role.INSPECTOR, unit=unit)
            certify(person, unit, 200 + 10 * n + k)
            officers.append(person)
        team = replace(scene.team, unit=unit, officers=officers, power=power)
        filed(team, at(6, 10 + n), officers)
    after = page_queries(client, {"period": "2026-06"})
    assert after == before
    html = client.get(reverse("enforcement:figures"), {"period": "2026-06"}).content.decode()
    assert "西塘镇执法中队2" in html and "临时员21" in html


def test_the_page_shows_every_table_and_each_number_links_to_its_cases(scene):
    client = scene.world.client_for(scene.team.lena)
    html = client.get(reverse("enforcement:figures"), {"period": "2026-06"}).content.decode()
    for text in (
        "按办案单位",
        "按承办执法人员",
        "西塘镇综合行政执法队",
        "欧阳青",
        "5,200.00",
        "66.67%",
        "50.00%",
    ):
        assert text in html, text
    assert "魏塘街道综合行政执法队" not in html and "彭一" not in html
    rows_url = reverse("enforcement:figure_rows")
    assert f"{rows_url}?period=2026-06&amp;area=330421102&amp;count=filed" in html
    assert f"{rows_url}?period=2026-06&amp;area=330421102&amp;indicator=on_time_rate" in html


def test_every_figure_on_the_page_lists_as_many_cases(scene):
    county = make_person("cao", "曹县长", Role.LEADER, division=scene.world.district)
    client = scene.world.client_for(county)
    url = reverse("enforcement:figure_rows")
    # The page counts up to now: June is long over, and no case of the scene moved since.
    w = window_of(at(6, 1, 0), at(7, 1, 0), dt.datetime.now(dt.UTC))
    cases = fig.scope_for(county, scene.world.district.code)

    def listed(**params: Any) -> int:
        page = client.get(url, {"period": "2026-06", **params})
        assert page.status_code == 200
        return int(page.context["page"].paginator.count)

    for group in [None, *fig.GROUPINGS]:
        for figures in fig.figures_by(cases, window=w, group=group):
            key = {"group": group, "key": figures.key} if group else {}
            for name in [*fig.COUNTS, *fig.VALUES]:
                expected = figures.count(fig.VALUE_ROWS.get(name, name))
                assert listed(count=name, **key) == expected, (group, figures.key, name)
            for code in fig.INDICATORS:
                value = figures.value(code)
                assert listed(indicator=code, **key) == value.denominator, (group, figures.key, code)
                assert listed(indicator=code, show="hit", **key) == value.numerator, (
                    group,
                    figures.key,
                    code,
                )
                assert listed(indicator=code, show="miss", **key) == value.denominator - value.numerator


def test_the_list_links_each_case_to_its_page_and_masks_the_party(scene):
    client = scene.world.client_for(scene.team.lena)
    page = client.get(reverse("enforcement:figure_rows"), {"period": "2026-06", "indicator": "on_time_rate"})
    html = page.content.decode()
    assert "按期结案率 66.67%（2 / 3）" in html
    for name in ("C2", "C3", "C12"):
        case = scene.case(name)
        assert f'href="/enforcement/cases/{case.pk}/"' in html and str(case) in html
    assert "沈*强" in html and "沈国强" not in html
    late = client.get(
        reverse("enforcement:figure_rows"), {"period": "2026-06", "indicator": "on_time_rate", "show": "miss"}
    )
    assert [c["case"].pk for c in late.context["rows"]] == [scene.case("C3").pk]
    officer = scene.team.owen
    owen = client.get(
        reverse("enforcement:figure_rows"),
        {"period": "2026-06", "count": "amount", "group": "officer", "key": str(officer.pk)},
    )
    assert "罚款金额（元） 5,200.00（2 件处罚决定）" in owen.content.decode()
    assert {c["case"].pk for c in owen.context["rows"]} == scene.pks("C3", "C6")


def test_out_of_scope_wrong_role_and_unknown_figures(scene):
    wu = scene.other.lena
    client = scene.world.client_for(wu)
    page = client.get(reverse("enforcement:figure_rows"), {"period": "2026-06", "count": "closed"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    assert client.get(reverse("enforcement:figures"), {"area": "330421102"}).status_code == 404
    alice = scene.world.client_for(scene.world.alice)  # a grid worker
    assert alice.get(reverse("enforcement:figures")).status_code == 403
    assert alice.get(reverse("enforcement:figure_rows"), {"count": "filed"}).status_code == 403
    lena = scene.world.client_for(scene.team.lena)
    url = reverse("enforcement:figure_rows")
    assert lena.get(url, {"count": "nothing"}).status_code == 404
    assert lena.get(url, {"count": "filed", "group": "village", "key": "1"}).status_code == 404
    assert lena.get(url, {"count": "filed", "group": "unit", "key": "x"}).status_code == 404
    assert lena.get(reverse("enforcement:figure_section_rows", args=["nothing"])).status_code == 404


# -- a further section ----------------------------------------------------------------------------------------


@pytest.fixture
def hearing_section():
    """A section as the joint-operations or plan figures plug in: per unit, the hearings held in the period."""

    def build(ctx: fig.SectionContext) -> fig.Section:
        cases = fig.scope_for(ctx.person, ctx.area).filter(
            hearing_held_at__gte=ctx.window.start, hearing_held_at__lt=ctx.window.end
        )
        rows = []
        for unit_id, name in cases.values_list("unit_id", "unit__name").distinct().order_by("unit__name"):
            held = cases.filter(unit_id=unit_id)
            rows.append((name, [fig.SectionFigure(f"unit-{unit_id}", "听证举行数", str(held.count()), held)]))
        return fig.Section(
            tables=[fig.SectionTable("", ["单位", "听证举行数"], rows)], note=f"{ctx.first}—{ctx.last}"
        )

    provider = fig.SectionProvider(
        code="hearings-test",
        title="听证（测试栏目）",
        build=build,
        columns=[fig.Column("案号", str), fig.Column("听证日期", lambda c: f"{c.hearing_on:%Y-%m-%d}")],
        record_url=lambda c: f"/enforcement/cases/{c.pk}/",
    )
    saved = list(fig.SECTIONS)
    fig.register_section(provider)
    yield provider
    fig.SECTIONS[:] = saved


def test_a_registered_section_shows_below_the_cases_and_opens_its_records(scene, hearing_section):
    client = scene.world.client_for(scene.team.lena)
    html = client.get(reverse("enforcement:figures"), {"period": "2026-06"}).content.decode()
    assert 'data-testid="figures-section-hearings-test"' in html and "2026-06-01—2026-06-30" in html
    url = reverse("enforcement:figure_section_rows", args=["hearings-test"])
    unit = scene.team.unit.pk
    assert f"{url}?period=2026-06&amp;area=330421102&amp;figure=unit-{unit}" in html
    page = client.get(url, {"period": "2026-06", "figure": f"unit-{unit}"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    c7 = scene.case("C7")
    assert (
        f'href="/enforcement/cases/{c7.pk}/"' in page.content.decode()
        and "2026-06-05" in page.content.decode()
    )
    assert client.get(url, {"period": "2026-06", "figure": "unit-0"}).status_code == 404


def test_all_cases_are_in_the_scene(scene):
    assert EnforcementCase.objects.count() == 13


def test_the_seed_rows_window_takes_every_case_of_a_town(scene):
    xitang = fig.scope_all(scene.world.township.code)
    w = fig.window_all(xitang, AS_OF)
    assert w.start == at(1, 4, 0) and w.end == AS_OF  # C3 and C13 were registered on 4 January
    everything = total(xitang, w)
    # All but C5 (not filed), C6 (on the spot) and 魏塘's C11; penalties C2 C3 C6.
    assert everything.count("filed") == 10 and everything.count("penalties") == 3
    assert everything.amount == 7200 and everything.count("closed") == 4
    nothing = fig.window_all(fig.scope_all("330421999"), AS_OF)
    assert nothing.start == nothing.end == AS_OF
