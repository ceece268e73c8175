"""The 执法统计 page's sections of joint operations and of plans with daily reports (figures/section_providers.py):
every number counted by hand on a small scene built through the services, every linked number equal to the count of
the records it opens, the unit staff's narrower scope, and the page showing both sections with a number opening its
list."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.assessment.indicators import window_of
from grassroots.assessment.periods import CHINA
from grassroots.conftest import make_person
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workcal.calendar import SHANGHAI

from .. import figures as fig
from ..figures.section_providers import OPERATIONS, PLANS
from ..services.daily_reports import daily_report_submit
from ..services.operations import (
    Results,
    operation_cancel,
    operation_create,
    operation_record_results,
    operation_start,
)
from ..services.plans import plan_months_derive, plan_year_create
from .support import Team

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2026, 11, 1, tzinfo=CHINA)


def ctx(
    person, first: dt.date, last: dt.date, area: str = "330421102", name: str = "西塘镇"
) -> fig.SectionContext:
    start = dt.datetime.combine(first, dt.time(0), tzinfo=CHINA)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=CHINA)
    return fig.SectionContext(person=person, area=area, area_name=name, window=window_of(start, end, LATER))


def numbers(section: fig.Section) -> dict[str, str]:
    return {f.key: f.text for t in section.tables for _, figures in t.rows for f in figures}


def assert_counts_match(section: fig.Section) -> int:
    """Every figure with records shows the count of its records; returns how many were checked."""
    checked = 0
    for table in section.tables:
        for _, figures in table.rows:
            for f in figures:
                if f.records is not None:
                    assert int(f.text.replace(",", "")) == f.records.count(), f.key
                    checked += 1
    return checked


# -- joint operations ------------------------------------------------------------------------------------------


@pytest.fixture
def police(world) -> Unit:
    return Unit.objects.create(
        code="330421102-PCS",
        name="西塘派出所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class="B",
        division=world.township,
    )


@pytest.fixture
def ops(team: Team, police: Unit):
    """June: one planned (no results). July: one run by the team with the agency and the police, one campaign of
    the team alone, one led by the police with the team, one cancelled (not counted)."""
    world = team.world
    percy = make_person("percy", "潘警官", Role.DEPARTMENT_STAFF, unit=police)

    def create(actor, title, starts_on, **kw):
        values = {
            "kind": "joint",
            "title": title,
            "lead_unit": team.unit,
            "units": [world.agency, police],
            "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=2),
            "plan": "方案",
        }
        values.update(kw)
        return operation_create(actor=actor, **values)

    june = create(team.olga, "六月联合检查", dt.date(2026, 6, 29))
    july = operation_start(actor=team.olga, operation=create(team.olga, "七月夜市整治", dt.date(2026, 7, 6)))
    operation_record_results(actor=team.olga, operation=july, unit=team.unit, results=Results(10, 4, 1, 2))
    operation_record_results(actor=percy, operation=july, unit=police, results=Results(5, 0, 0, 0))
    operation_record_results(actor=world.dora, operation=july, unit=world.agency, results=Results(1, 1, 0, 0))
    other = create(team.olga, "七月占道专项", dt.date(2026, 7, 20), kind="campaign", units=[])
    other = operation_start(actor=team.olga, operation=other)
    operation_record_results(actor=team.olga, operation=other, unit=team.unit, results=Results(3, 3, 2, 1))
    led = create(percy, "派出所牵头清查", dt.date(2026, 7, 25), lead_unit=police, units=[team.unit])
    led = operation_start(actor=percy, operation=led)
    operation_record_results(actor=percy, operation=led, unit=police, results=Results(2, 1, 0, 1))
    called_off = create(team.olga, "取消的行动", dt.date(2026, 7, 15))
    operation_cancel(actor=team.olga, operation=called_off, reason="合并")
    return {"june": june, "july": july, "other": other, "led": led, "police": police}


def test_the_operations_section_counted_by_hand(team, ops):
    section = OPERATIONS.build(ctx(team.lena, dt.date(2026, 6, 1), dt.date(2026, 7, 31)))
    got = numbers(section)
    assert (got["month-2026-06"], got["month-2026-07"], got["total-operations"]) == ("1", "3", "4")
    # places 10+5+1 (July) + 3 (campaign) + 2 (police) = 21; problems 4+0+1+3+1 = 9; cases 1+2 = 3; rectified 2+1+1
    assert [
        got[f"result-{f}"] for f in ("places_inspected", "problems_found", "cases_opened", "rectified")
    ] == [
        "21",
        "9",
        "3",
        "4",
    ]
    # operations that recorded each: places July, campaign, police's; cases July and campaign only
    assert got["result-places_inspected-operations"] == "3" and got["result-cases_opened-operations"] == "2"
    team_id, police_id = team.unit.pk, ops["police"].pk
    assert [got[f"lead-{team_id}-{k}"] for k in ("operations", "places_inspected", "problems_found")] == [
        "3",
        "19",
        "8",
    ]
    assert [got[f"lead-{police_id}-{k}"] for k in ("operations", "places_inspected", "rectified")] == [
        "1",
        "2",
        "1",
    ]
    assert assert_counts_match(section) == 3 + 4 + 2  # months and total, the four results, the two lead units
    july = section.figure("month-2026-07")
    assert july is not None and july.records is not None
    assert list(july.records) == [ops["july"], ops["other"], ops["led"]]
    cases = section.figure("result-cases_opened-operations")
    assert cases is not None and cases.records is not None
    assert set(cases.records) == {ops["july"], ops["other"]}
    places = section.figure("result-places_inspected")
    assert places is not None and places.records is None  # a sum: no list


def test_unit_staff_count_their_units_operations_and_own_results(team, ops):
    dora = team.world.dora  # the market agency's staff: it joined June's and July's operations
    section = OPERATIONS.build(ctx(dora, dt.date(2026, 6, 1), dt.date(2026, 7, 31), area="", name="全部"))
    got = numbers(section)
    assert got["total-operations"] == "2"
    assert (got["result-places_inspected"], got["result-problems_found"], got["result-rectified"]) == (
        "1",
        "1",
        "0",
    )
    assert (
        got[f"lead-{team.unit.pk}-operations"] == "2" and got[f"lead-{team.unit.pk}-places_inspected"] == "1"
    )
    assert f"lead-{ops['police'].pk}-operations" not in got
    assert assert_counts_match(section) == 3 + 4 + 1
    # Another township's area counts nothing.
    elsewhere = OPERATIONS.build(ctx(team.lena, dt.date(2026, 6, 1), dt.date(2026, 7, 31), area="330421101"))
    assert numbers(elsewhere)["total-operations"] == "0"


# -- plans and daily reports -----------------------------------------------------------------------------------


def _report(officer, day: dt.date, checked: int, *, hours_after: float = 2) -> None:
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    daily_report_submit(actor=officer, day=day, checked=checked, now=end + dt.timedelta(hours=hours_after))


@pytest.fixture
def plans(team: Team):
    """Olga 100 and Owen 30 a year, split by month (Olga 9 in each of the first quarter's months, Owen 3).
    Olga reports 4 + 3 + 5 in January and 10 in February (late); Owen 3 on 31 March and 7 on 1 April."""
    plan = plan_year_create(
        actor=team.rita, unit=team.unit, year=2026, shares={team.olga: 100, team.owen: 30}
    )
    plan_months_derive(actor=team.rita, plan=plan)
    _report(team.olga, dt.date(2026, 1, 5), 4)
    _report(team.olga, dt.date(2026, 1, 6), 3)
    _report(team.olga, dt.date(2026, 1, 7), 5)
    _report(team.olga, dt.date(2026, 2, 2), 10, hours_after=30)
    _report(team.owen, dt.date(2026, 3, 31), 3)
    _report(team.owen, dt.date(2026, 4, 1), 7)
    return plan


def test_the_plans_section_counted_by_hand(team, plans):
    section = PLANS.build(ctx(team.lena, dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    got = numbers(section)
    u = f"unit-{team.unit.pk}"
    keys = ("planned", "done", "rate", "reports", "on_time", "late", "timeliness")
    # planned 27 + 9, done 12 + 10 + 3; 25/36 = 69.4%; 5 reports, 1 late
    assert [got[f"{u}-{k}"] for k in keys] == ["36", "25", "69.4%", "5", "4", "1", "80.0%"]
    olga = f"officer-{team.unit.pk}-{team.olga.pk}"
    assert [got[f"{olga}-{k}"] for k in keys] == ["27", "22", "81.5%", "4", "3", "1", "75.0%"]
    owen = f"officer-{team.unit.pk}-{team.owen.pk}"
    assert [got[f"{owen}-{k}"] for k in keys] == ["9", "3", "33.3%", "1", "1", "0", "100.0%"]
    assert assert_counts_match(section) == 3 * 3
    late = section.figure(f"{olga}-late")
    assert late is not None and late.records is not None
    assert [r.day for r in late.records] == [dt.date(2026, 2, 2)]
    planned = section.figure(f"{u}-planned")
    assert planned is not None and planned.records is None
    # April: no month of the plan lies inside the first week, nothing of the unit reported by anyone else
    april = numbers(PLANS.build(ctx(team.lena, dt.date(2026, 4, 1), dt.date(2026, 4, 7))))
    assert [april[f"{u}-{k}"] for k in keys] == ["0", "7", "—", "1", "1", "0", "100.0%"]
    # Another township sees no unit.
    assert (
        numbers(PLANS.build(ctx(team.lena, dt.date(2026, 1, 1), dt.date(2026, 3, 31), area="330421101")))
        == {}
    )


# -- the page --------------------------------------------------------------------------------------------------


def test_the_page_shows_both_sections_and_a_number_opens_its_list(team, ops, plans):
    assert fig.section_of("operations") is OPERATIONS and fig.section_of("plans") is PLANS  # the registry's
    client = team.world.client_for(team.lena)
    html = client.get(reverse("enforcement:figures"), {"period": "2026-07"}).content.decode()
    assert (
        'data-testid="figures-section-operations"' in html and 'data-testid="figures-section-plans"' in html
    )
    url = reverse("enforcement:figure_section_rows", args=["operations"])
    assert f"{url}?period=2026-07&amp;area=330421102&amp;figure=total-operations" in html
    page = client.get(url, {"period": "2026-07", "figure": "total-operations"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 3
    body = page.content.decode()
    assert all(title in body for title in ("七月夜市整治", "七月占道专项", "派出所牵头清查"))
    assert "取消的行动" not in body and f'href="/enforcement/operations/{ops["july"].pk}/"' in body
    reports = reverse("enforcement:figure_section_rows", args=["plans"])
    quarter = client.get(reports, {"period": "2026-Q1", "figure": f"unit-{team.unit.pk}-late"})
    assert quarter.status_code == 200 and quarter.context["page"].paginator.count == 1
    assert client.get(url, {"period": "2026-07", "figure": "result-places_inspected"}).status_code == 404


def test_the_staff_pages_share_the_sub_navigation_with_the_current_page_marked(team):
    client = team.world.client_for(team.lena)
    unit = team.unit.pk
    pages = {
        "/enforcement/cases/": ("/enforcement/cases/", "案件"),
        "/enforcement/operations/": ("/enforcement/operations/", "联合执法"),
        "/enforcement/plans/": ("/enforcement/plans/", "计划与日报"),
        f"/enforcement/plans/{unit}/2026/": ("/enforcement/plans/", "计划与日报"),
        f"/enforcement/plans/{unit}/stations/": ("/enforcement/plans/", "计划与日报"),
        f"/enforcement/plans/{unit}/reports/": ("/enforcement/plans/", "计划与日报"),
        "/enforcement/figures/": ("/enforcement/figures/", "执法统计"),
        "/enforcement/powers/": ("/enforcement/powers/", "权力清单"),
    }
    for url, (href, label) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html.count('data-testid="enforcement-subnav"') == 1, url
        nav = html.split('data-testid="enforcement-subnav"', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="{href}" aria-current="page">{label}</a>' in nav, url
        assert nav.count('aria-current="page"') == 1 and '<a href="/draws/">双随机抽查</a>' in nav, url
