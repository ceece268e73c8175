"""The assessment pages in a real browser: the dashboard draws its charts and the grid map without tiles, the
period selector switches inputs, and a report is built in the background while the page polls it (HTMX)."""

import datetime as dt
import re

import pytest

from grassroots.assessment.defaults import load_default_schemes
from grassroots.assessment.models import ReportJob, Scheme, SchemeAdjustment, SchemeItem, SchemePart
from grassroots.assessment.periods import CHINA
from grassroots.assessment.services import report_jobs_run_pending
from grassroots.assessment.tests.scenario import build
from grassroots.events import services as s
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source
from grassroots.events.models import EventType, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]
ALLOWED_LATIN = {"Excel"}


@pytest.fixture
def scenario(world, monkeypatch, settings, tmp_path):
    # A transactional test flushes the tables after it, data migrations included: load them again.
    load_catalogue(EventType, TimeLimit)
    load_default_schemes(Scheme, SchemePart, SchemeItem, SchemeAdjustment)
    settings.MEDIA_ROOT = tmp_path
    built = build(world, monkeypatch)
    monkeypatch.undo()  # the history is written; the server runs on the real clock
    return built


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN


def test_the_dashboard_draws_its_charts_and_the_grid_map(scenario, open_as):
    page = open_as(scenario.leo)
    page.goto("/assessment/dashboard/?period=2026-03")
    page.wait_for_selector("[data-chart=trend] canvas")
    page.wait_for_selector(".map-legend strong")
    assert "合计 13" in page.inner_text(".map-legend")
    assert page.locator(".leaflet-tile").count() == 0  # no tile server needed
    assert page.locator("[data-chart=platforms] canvas").count() == 1
    assert not latin_words(page.inner_text("main"))


def test_the_period_selector_shows_the_input_of_the_chosen_kind(scenario, open_as):
    page = open_as(scenario.leo)
    page.goto("/assessment/?period=2026-03")
    assert page.is_visible("select[name=p_month]") and not page.is_visible("select[name=p_week]")
    page.select_option("#f-pk", "week")
    page.wait_for_selector("select[name=p_week]", state="visible")
    page.wait_for_selector("select[name=p_month]", state="hidden")
    page.select_option("#f-pk", "custom")
    page.fill("input[name=from]", "2026-03-01")
    page.fill("input[name=to]", "2026-03-15")
    page.click("form.filter-bar button[type=submit]")
    page.wait_for_load_state()
    assert "2026年3月1日—3月15日" in page.inner_text(".page-head")
    assert not latin_words(page.inner_text("main"))


def test_a_report_is_built_in_the_background_while_the_page_polls(scenario, open_as, settings):
    settings.ASSESSMENT_REPORT_RUNNER = "worker"
    page = open_as(scenario.leo)
    page.goto("/assessment/reports/?pk=month")
    page.select_option("select[name=p_month]", "2026-03")
    page.click("form.filter-bar button[type=submit]")
    page.wait_for_selector("#job-progress")
    assert "排队中" in page.inner_text("#job-progress")
    assert report_jobs_run_pending() == 1  # the worker picks it up; the page notices by itself
    page.wait_for_selector("article.report", timeout=20_000)
    assert "西塘镇2026年3月月分析" in page.inner_text("article.report h1")


def test_the_hotspot_map_says_how_many_reports_it_cannot_place(scenario, open_as):
    # A hotline call with an address but no position lands in no grid: counted by the cards, not drawable.
    call = s.event_report(
        actor=scenario.world.oscar,
        event_type=EventType.objects.get(code="FW0403"),
        source=Source.PHONE,
        title="来电反映路面破损",
        address="西塘镇南苑路",
        reporter_name="周先生",
        reporter_phone="13900001111",
        reported_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=CHINA),
    ).event
    assert call.grid_id is None
    page = open_as(scenario.leo)
    page.goto("/assessment/dashboard/?period=2026-03")
    page.wait_for_selector(".map-legend strong")
    legend = page.inner_text(".map-legend")
    assert "合计 13" in legend
    assert "另有 1 件未落入网格" in page.inner_text('[data-testid="hotspots-unplaced"]')


def test_a_solved_in_village_rate_below_its_target_is_not_shown_as_success(scenario, open_as):
    page = open_as(scenario.leo)
    page.goto("/assessment/dashboard/?period=2026-03")
    rate = page.locator('[data-testid="solved-in-village"]')
    assert rate.inner_text() == "12.50%"  # one of eight closed at level 1 or 2, against a target of 95%
    assert "bad" in (rate.get_attribute("class") or "")
    red = page.evaluate("getComputedStyle(document.querySelector('.big-rate')).color")
    assert red == "rgb(185, 28, 28)"


def test_no_default_scheme_names_another_district(scenario, open_as):
    page = open_as(scenario.leo)
    page.goto("/assessment/schemes/")
    text = page.inner_text("main")
    assert "派驻机构考核" in text
    assert "上虞区" not in text and "镇海区" not in text


def test_a_province_account_chooses_all_districts_on_the_dashboard_and_its_report(
    scenario, open_as, settings
):
    from grassroots.geo.choices import DivisionLevel
    from grassroots.geo.models import Division
    from grassroots.people.models import Person

    Division.objects.create(code="330481", name="海宁市", level=DivisionLevel.DISTRICT, kind="district")
    root = Person.objects.create_superuser(username="province", password="Prov@2026pass", name="省级查看")
    page = open_as(root)
    page.goto("/assessment/dashboard/?period=2026-03")
    assert "嘉善县 · 2026年3月" in page.inner_text("main")
    page.select_option("#f-area", "all")
    page.click("form.filter-bar button[type=submit]")
    page.wait_for_url(re.compile(r"area=all"))
    page.wait_for_selector("[data-chart=trend] canvas")
    text = page.inner_text("main")
    assert "全部区县 · 2026年3月" in text and "区县排名" in text and "海宁市" in text
    assert page.locator("#f-area").input_value() == "all"

    # The report form takes the same choice: a job for every district is queued and built.
    settings.ASSESSMENT_REPORT_RUNNER = "worker"
    page.goto("/assessment/reports/?pk=month")
    page.select_option("select[name=p_month]", "2026-03")
    page.select_option("#r-area", "all")
    page.click("form.filter-bar button[type=submit]")
    page.wait_for_selector("#job-progress")
    job = ReportJob.objects.get()
    assert job.area_code == "" and job.requested_by == root
    assert report_jobs_run_pending() == 1
    page.wait_for_selector("article.report", timeout=20_000)
    assert "全部区县2026年3月月分析" in page.inner_text("article.report h1")
