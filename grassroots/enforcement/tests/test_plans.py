"""Inspection plans: the yearly split among officers certified for the whole year, the monthly plans derived from
it and moved between months with the sums kept, the stations' roster, and completion counted by hand."""

import datetime as dt
import io

import pytest
from django.db.models import F
from openpyxl import load_workbook

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workcal.calendar import SHANGHAI

from ..models import InspectionPlan, PlanShare
from ..models.plans import PostKind, ShiftKind
from ..services.daily_reports import daily_report_submit
from ..services.plan_figures import bulletin_rows, plan_completion, quarter_of, report_timeliness
from ..services.plans import (
    month_split,
    plan_consistent,
    plan_month_move,
    plan_months_derive,
    plan_year_create,
    plan_year_revise,
    post_create,
    roster_assign,
    roster_remove,
    station_create,
)
from .support import Team, certify

pytestmark = pytest.mark.django_db
YEAR = 2026


def _year(t: Team, **shares: int) -> InspectionPlan:
    people = {"olga": t.olga, "owen": t.owen, "oliver": t.officers[2]}
    return plan_year_create(
        actor=t.rita, unit=t.unit, year=YEAR, shares={people[k]: v for k, v in shares.items()}
    )


def _report(t: Team, officer, day: dt.date, checked: int, *, hours_after: float = 2) -> None:
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    daily_report_submit(actor=officer, day=day, checked=checked, now=end + dt.timedelta(hours=hours_after))


def test_the_yearly_plan_is_split_among_officers_certified_for_the_whole_year(team):
    plan = _year(team, olga=100, owen=30)
    assert plan.target == 130 and plan.month is None
    assert dict(plan.shares.values_list("officer__username", "target")) == {"olga": 100, "owen": 30}
    assert AuditEntry.objects.filter(action="inspection_plan.create", object_id=str(plan.pk)).exists()


def test_an_officer_whose_certificate_ends_within_the_year_or_has_expired_is_refused(team):
    mid = make_person("mia", "米娅", Role.INSPECTOR, unit=team.unit)
    certify(mid, team.unit, 50, valid_to=dt.date(YEAR, 6, 30))
    for person in (team.expired, mid):
        with pytest.raises(InvalidInput) as caught:
            plan_year_create(actor=team.rita, unit=team.unit, year=YEAR, shares={team.olga: 10, person: 5})
        assert caught.value.code == "officer_certificate_invalid"
    assert not InspectionPlan.objects.exists()
    # A year the certificate covers takes her.
    plan = plan_year_create(actor=team.rita, unit=team.unit, year=2025, shares={mid: 5})
    assert plan.target == 5


def test_an_officer_outside_the_units_pool_is_refused(team):
    other = Unit.objects.create(
        code="330421102-ZFZD",
        name="综合行政执法西塘中队",
        kind=UnitKind.TOWNSHIP_OFFICE,
        division=team.world.township,
    )
    elsewhere = make_person("ed", "鄂东", Role.INSPECTOR, unit=other)
    certify(elsewhere, other, 60)
    for person in (elsewhere, team.rita):  # another unit's officer; staff without a certificate
        with pytest.raises(InvalidInput) as caught:
            plan_year_create(actor=team.rita, unit=team.unit, year=YEAR, shares={person: 5})
        assert caught.value.code == "officer_not_in_pool"


def test_only_the_head_or_the_units_staff_plan_and_a_year_has_one_plan(team):
    with pytest.raises(Forbidden) as caught:
        plan_year_create(actor=team.olga, unit=team.unit, year=YEAR, shares={team.olga: 10})
    assert caught.value.code == "not_permitted"
    plan_year_create(actor=team.lena, unit=team.unit, year=YEAR, shares={team.olga: 10})
    with pytest.raises(Conflict) as again:
        _year(team, owen=3)
    assert again.value.code == "plan_exists"
    for bad in ("-1", "x", "2.5"):
        with pytest.raises(InvalidInput) as wrong:
            plan_year_create(actor=team.rita, unit=team.unit, year=YEAR + 1, shares={team.olga: bad})
        assert wrong.value.code == "plan_target_invalid"


def test_the_months_split_each_share_evenly_with_the_remainder_to_the_first_months(team):
    assert month_split(100) == [9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]
    assert month_split(30) == [3] * 6 + [2] * 6
    assert month_split(5) == [1] * 5 + [0] * 7
    plan = _year(team, olga=100, owen=30)
    months = plan_months_derive(actor=team.rita, plan=plan)
    assert [m.month for m in months] == list(range(1, 13))
    assert [m.target for m in months] == [12, 12, 12, 12, 11, 11, 10, 10, 10, 10, 10, 10]
    assert sum(m.target for m in months) == plan.target == 130
    assert plan_consistent(plan)
    with pytest.raises(Conflict) as again:
        plan_months_derive(actor=team.rita, plan=plan)
    assert again.value.code == "plan_months_derived"
    with pytest.raises(Conflict) as revise:
        plan_year_revise(actor=team.rita, plan=plan, shares={team.olga: 1})
    assert revise.value.code == "plan_months_derived"


def test_the_yearly_split_is_revised_until_the_months_are_derived(team):
    plan = _year(team, olga=100)
    plan_year_revise(actor=team.rita, plan=plan, shares={team.olga: 60, team.owen: 40})
    assert plan.target == 100
    assert dict(plan.shares.values_list("officer__username", "target")) == {"olga": 60, "owen": 40}


def test_moving_a_share_between_months_keeps_the_year(team):
    plan = _year(team, olga=100, owen=30)
    plan_months_derive(actor=team.rita, plan=plan)
    plan_month_move(actor=team.rita, plan=plan, officer=team.olga, from_month=1, to_month=12, count=2)
    olga = dict(
        PlanShare.objects.filter(plan__parent=plan, officer=team.olga).values_list("plan__month", "target")
    )
    assert olga[1] == 7 and olga[12] == 10 and sum(olga.values()) == 100
    assert InspectionPlan.objects.get(parent=plan, month=1).target == 10
    assert InspectionPlan.objects.get(parent=plan, month=12).target == 12
    assert plan_consistent(plan)
    with pytest.raises(InvalidInput) as caught:
        plan_month_move(actor=team.rita, plan=plan, officer=team.olga, from_month=1, to_month=2, count=8)
    assert caught.value.code == "plan_move_exceeds"
    with pytest.raises(InvalidInput) as same:
        plan_month_move(actor=team.rita, plan=plan, officer=team.olga, from_month=3, to_month=3, count=1)
    assert same.value.code == "plan_move_invalid"


def test_completion_of_a_quarter_counted_by_hand(team):
    plan = _year(team, olga=100, owen=30)
    plan_months_derive(actor=team.rita, plan=plan)
    # Olga: January 4 + 3 + 5 = 12, February 10 (one of them late); Owen: March 3. April does not count.
    _report(team, team.olga, dt.date(YEAR, 1, 5), 4)
    _report(team, team.olga, dt.date(YEAR, 1, 6), 3)
    _report(team, team.olga, dt.date(YEAR, 1, 7), 5)
    _report(team, team.olga, dt.date(YEAR, 2, 2), 10, hours_after=30)
    _report(team, team.owen, dt.date(YEAR, 3, 31), 3)
    _report(team, team.owen, dt.date(YEAR, 4, 1), 7)
    first, last = quarter_of(YEAR, 1)
    assert (first, last) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31))

    olga = plan_completion(unit=team.unit, first=first, last=last, officer=team.olga)
    assert (olga.planned, olga.done) == (27, 22)  # 9 + 9 + 9 planned
    assert olga.rate == pytest.approx(22 / 27)
    assert olga.reports.count() == 4 and olga.shares.count() == 3
    unit = plan_completion(unit=team.unit, first=first, last=last)
    assert (unit.planned, unit.done) == (36, 25)  # Owen 3 + 3 + 3 planned, 3 done
    assert unit.rate == pytest.approx(25 / 36)
    january = plan_completion(
        unit=team.unit, first=dt.date(YEAR, 1, 1), last=dt.date(YEAR, 1, 31), officer=team.olga
    )
    assert (january.planned, january.done, january.rate) == (9, 12, 1.0)  # no rate above 100%

    timeliness = report_timeliness(unit=team.unit, first=first, last=last)
    assert (timeliness.reports, timeliness.late, timeliness.rate) == (5, 1, 0.8)
    assert list(timeliness.late_records.values_list("day", flat=True)) == [dt.date(YEAR, 2, 2)]

    rows = {r.name: r for r in bulletin_rows(unit=team.unit, first=first, last=last)}
    assert (rows["欧阳青"].planned, rows["欧阳青"].done, rows["欧阳青"].reports, rows["欧阳青"].late) == (
        27,
        22,
        4,
        1,
    )
    assert (rows["王文"].planned, rows["王文"].done, rows["王文"].late) == (9, 3, 0)
    assert (rows["合计"].planned, rows["合计"].done, rows["合计"].reports, rows["合计"].late) == (
        36,
        25,
        5,
        1,
    )
    assert rows["欧阳青"].rate_text == "81.5%"


def test_a_year_without_months_counts_its_yearly_shares_only_for_the_whole_year(team):
    _year(team, olga=100)
    whole = plan_completion(unit=team.unit, first=dt.date(YEAR, 1, 1), last=dt.date(YEAR, 12, 31))
    assert whole.planned == 100
    assert plan_completion(unit=team.unit, first=dt.date(YEAR, 1, 1), last=dt.date(YEAR, 3, 31)).planned == 0


def test_the_roster_takes_certified_officers_of_the_unit_once_per_shift_kind_a_day(team):
    station = station_create(actor=team.rita, unit=team.unit, name="钢材市场执法站", address="西塘镇钢材市场")
    post = post_create(actor=team.rita, station=station, name="市场东门卡口", kind=PostKind.FIXED)
    day = dt.date(YEAR, 3, 2)
    shift = roster_assign(actor=team.rita, post=post, officer=team.olga, day=day, kind=ShiftKind.NIGHT)
    roster_assign(actor=team.rita, post=post, officer=team.olga, day=day, kind=ShiftKind.DAY)
    with pytest.raises(Conflict) as taken:
        roster_assign(actor=team.rita, post=post, officer=team.olga, day=day, kind=ShiftKind.NIGHT)
    assert taken.value.code == "shift_taken"
    with pytest.raises(InvalidInput) as expired:
        roster_assign(actor=team.rita, post=post, officer=team.expired, day=day, kind=ShiftKind.DAY)
    assert expired.value.code == "officer_certificate_invalid"
    with pytest.raises(Forbidden):
        roster_assign(actor=team.olga, post=post, officer=team.owen, day=day, kind=ShiftKind.DAY)
    end = dt.datetime(YEAR, 3, 3, 1, tzinfo=SHANGHAI)
    daily_report_submit(actor=team.olga, day=day, checked=6, shift=shift, now=end)
    with pytest.raises(Conflict) as reported:
        roster_remove(actor=team.rita, shift=shift)
    assert reported.value.code == "shift_reported"
    with pytest.raises(Conflict) as dup:
        station_create(actor=team.rita, unit=team.unit, name="钢材市场执法站")
    assert dup.value.code == "station_exists"


def test_the_pages_show_the_plan_the_roster_and_the_bulletin_and_the_export_is_audited(team, client):
    plan = _year(team, olga=100, owen=30)
    plan_months_derive(actor=team.rita, plan=plan)
    _report(team, team.olga, dt.date(YEAR, 1, 5), 4, hours_after=25)
    client.force_login(team.rita)
    page = client.get(f"/enforcement/plans/{team.unit.pk}/{YEAR}/")
    assert page.status_code == 200
    assert "欧阳青" in page.content.decode() and "9/4" in page.content.decode()
    assert client.get(f"/enforcement/plans/{team.unit.pk}/stations/").status_code == 200
    reports = client.get(f"/enforcement/plans/{team.unit.pk}/reports/?month={YEAR}-01&late=1")
    assert "逾期" in reports.content.decode() and reports.context["timeliness"].late == 1
    bulletin = client.get(f"/enforcement/plans/{team.unit.pk}/bulletin/?year={YEAR}&quarter=1")
    assert "第 1 季度" in bulletin.content.decode()
    export = client.get(f"/enforcement/plans/{team.unit.pk}/bulletin.xlsx?year={YEAR}&quarter=1")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:3] == ["执法人员", "计划检查数", "完成检查数"]
    assert ["欧阳青", 27, 4, "14.8%", 1, 1, "0.0%"] in rows
    assert rows[-1][:3] == ["合计", 36, 4]
    assert AuditEntry.objects.filter(action="plan_bulletin.export", actor_id=team.rita.pk).exists()


def test_a_unit_outside_the_viewers_scope_is_not_found(team, client):
    client.force_login(team.world.alice)  # a grid worker of a village
    assert client.get(f"/enforcement/plans/{team.unit.pk}/{YEAR}/").status_code == 404
    assert client.get(f"/enforcement/plans/{team.unit.pk}/bulletin.xlsx").status_code == 404


def test_making_the_plan_on_the_page(team, client):
    client.force_login(team.rita)
    response = client.post(
        f"/enforcement/plans/{team.unit.pk}/{YEAR}/",
        {f"target_{team.olga.pk}": "24", f"target_{team.owen.pk}": "12", "note": "按持证人数分解"},
    )
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(unit=team.unit, year=YEAR, month__isnull=True)
    assert plan.target == 36 and plan.note == "按持证人数分解"
    client.post(f"/enforcement/plans/{team.unit.pk}/{YEAR}/derive/")
    assert plan.months.count() == 12
    client.post(
        f"/enforcement/plans/{team.unit.pk}/{YEAR}/move/",
        {"officer": team.olga.pk, "from_month": 1, "to_month": 2, "count": 1},
    )
    assert PlanShare.objects.get(plan__parent=plan, plan__month=2, officer=team.olga).target == 3


def test_the_demo_squad_has_its_plans_stations_and_a_year_of_reports_the_same_for_a_seed():
    from grassroots.demo.district import build_demo_district
    from grassroots.demo.enforcement_plans import (
        SQUAD,
        build_demo_enforcement_plans,
        delete_demo_enforcement_plans,
    )

    from ..models import DailyReport, RosterShift, Station

    build_demo_district(seed=7)
    now = dt.datetime(2026, 8, 20, 9, 0, tzinfo=SHANGHAI)
    result = build_demo_enforcement_plans(seed=7, now=now)
    squad = Unit.objects.get(code=SQUAD)
    assert result.stations == Station.objects.filter(unit=squad).count() == 4
    assert all(s.posts.count() == 2 for s in Station.objects.filter(unit=squad))
    assert result.plans == 26  # two years, twelve months each
    assert all(plan_consistent(p) for p in InspectionPlan.objects.filter(unit=squad, month__isnull=True))
    assert (
        360 <= RosterShift.objects.filter(kind=ShiftKind.NIGHT).count() <= 440
    )  # 4 stations × 2 nights × 52
    reports = DailyReport.objects.filter(unit=squad)
    assert result.reports == reports.count() and result.late == reports.filter(late=True).count()
    assert 0.01 <= result.late / result.reports <= 0.06 and result.reports < result.shifts
    assert reports.filter(late=False, submitted_at__gt=F("due_at")).count() == 0
    assert build_demo_enforcement_plans(seed=7, now=now).plans == 0  # already there
    digest = list(
        reports.order_by("day", "officer_id", "shift__kind").values_list(
            "day", "officer_id", "checked", "late"
        )
    )
    delete_demo_enforcement_plans()
    assert not DailyReport.objects.exists() and not InspectionPlan.objects.exists()
    build_demo_enforcement_plans(seed=7, now=now)
    again = DailyReport.objects.order_by("day", "officer_id", "shift__kind").values_list(
        "day", "officer_id", "checked", "late"
    )
    assert list(again) == digest
