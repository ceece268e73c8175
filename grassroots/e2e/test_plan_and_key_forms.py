"""Forms that had no browser test, submitted in Chromium and checked in the records: the enforcement unit's yearly
inspection plan (编制), its monthly plans (下达) and a move between months, a station, a post and a shift on the
roster (/enforcement/plans/); and an administrator issuing an Open311 client's key (/integrations/open311-keys/)."""

import datetime as dt
import hashlib

import pytest

from grassroots.conftest import make_person
from grassroots.enforcement.models import InspectionPlan, PlanShare
from grassroots.enforcement.models.plans import Post, RosterShift, Station
from grassroots.enforcement.tests.support import build_team
from grassroots.open311.models import OpenClient
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]
YEAR = 2026


def test_the_yearly_plan_the_monthly_plans_a_move_and_the_roster_from_the_forms(world, open_as):
    team = build_team(world)
    desk = open_as(team.rita)
    desk.goto(f"/enforcement/plans/{team.unit.pk}/{YEAR}/")
    create = desk.locator("[data-testid=plan-create]")
    create.locator(f"input[name=target_{team.olga.pk}]").fill("120")
    create.locator(f"input[name=target_{team.owen.pk}]").fill("24")
    create.locator("textarea[name=note]").fill("按执法证人员分解")
    create.locator("button").click()
    desk.wait_for_selector("[data-testid=plan-grid]")
    plan = InspectionPlan.objects.get(unit=team.unit, year=YEAR, month__isnull=True)
    assert plan.target == 144
    assert dict(plan.shares.values_list("officer__username", "target")) == {"olga": 120, "owen": 24}

    desk.locator("[data-testid=plan-derive] button").click()
    desk.wait_for_selector("[data-testid=plan-move]")
    assert plan.months.count() == 12
    olga_march = PlanShare.objects.get(plan__unit=team.unit, plan__month=3, officer=team.olga).target
    olga_april = PlanShare.objects.get(plan__unit=team.unit, plan__month=4, officer=team.olga).target
    move = desk.locator("[data-testid=plan-move]")
    move.locator("select[name=officer]").select_option(str(team.olga.pk))
    move.locator("select[name=from_month]").select_option("3")
    move.locator("input[name=count]").fill("2")
    move.locator("select[name=to_month]").select_option("4")
    move.locator("button").click()
    desk.wait_for_selector("[data-testid=plan-move]")
    share = PlanShare.objects.filter(plan__unit=team.unit, officer=team.olga)
    assert (share.get(plan__month=3).target, share.get(plan__month=4).target) == (
        olga_march - 2,
        olga_april + 2,
    )
    assert share.get(plan__month__isnull=True).target == 120  # the year's sum is kept

    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    desk.goto(f"/enforcement/plans/{team.unit.pk}/stations/?week={monday:%Y-%m-%d}")
    station_form = desk.locator("[data-testid=station-create]")
    station_form.locator("input[name=name]").fill("西塘古镇执法站")
    station_form.locator("input[name=address]").fill("西塘镇南苑路1号")
    station_form.locator("button").click()
    desk.wait_for_selector("[data-testid=station]")
    station = Station.objects.get(unit=team.unit)
    assert (station.name, station.address) == ("西塘古镇执法站", "西塘镇南苑路1号")

    post_form = desk.locator("[data-testid=post-create]")
    post_form.locator("input[name=name]").fill("景区入口岗")
    post_form.locator("button").click()
    desk.wait_for_selector("[data-testid=shift-assign]")
    post = Post.objects.get(station=station)
    assert post.name == "景区入口岗"

    shift_form = desk.locator("[data-testid=shift-assign]")
    shift_form.locator("select[name=post]").select_option(str(post.pk))
    shift_form.locator("select[name=officer]").select_option(str(team.owen.pk))
    shift_form.locator("input[name=day]").fill(f"{monday + dt.timedelta(days=2):%Y-%m-%d}")
    shift_form.locator("button").click()
    desk.wait_for_selector("[data-testid=station]")
    shift = RosterShift.objects.get(post=post)
    assert (shift.officer_id, shift.day) == (team.owen.pk, monday + dt.timedelta(days=2))
    assert "王文" in desk.inner_text("[data-testid=station]")


def test_an_administrator_issues_an_open311_key_from_the_form(world, open_as):
    admin = make_person("sysadmin", "孙系统", Role.SYSTEM_ADMIN, division=world.district)
    desk = open_as(admin)
    desk.goto("/integrations/open311-keys/")
    form = desk.locator("[data-testid=key-form]")
    form.locator("input[name=name]").fill("城市App")
    form.locator("input[name=contact]").fill("王工 13800000000")
    form.locator("select[name=district]").select_option(str(world.district.pk))
    form.locator("input[name=rate_limit_per_minute]").fill("30")
    form.locator("button[type=submit]").click()
    key = desk.inner_text("[data-testid=new-key]").strip()
    client = OpenClient.objects.get(name="城市App")
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert (client.rate_limit_per_minute, client.contact, client.district_id) == (
        30,
        "王工 13800000000",
        world.district.pk,
    )
    assert "城市App" in desk.inner_text("[data-testid=clients]")
