"""The assessment pages in a real browser: the dashboard draws its charts and the grid map without tiles, the
period selector switches inputs, and a report is built in the background while the page polls it (HTMX)."""

import re

import pytest

from grassroots.assessment.defaults import load_default_schemes
from grassroots.assessment.models import Scheme, SchemeAdjustment, SchemeItem, SchemePart
from grassroots.assessment.services import report_jobs_run_pending
from grassroots.assessment.tests.scenario import build
from grassroots.events.catalogue import load_catalogue
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
