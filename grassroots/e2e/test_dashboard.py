"""The command room's map and overview in a real browser: grids drawn without any tile server, clustered
markers, a click through to the event, and the overview's figures and chart."""

import re

import pytest

from grassroots.events import services as s
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source
from grassroots.events.models import EventType, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def report(world, code: str, title: str, lon: float, lat: float):
    event_type = EventType.objects.get(code=code)
    return s.event_report(
        actor=world.alice, event_type=event_type, source=Source.PATROL, title=title, lon=lon, lat=lat
    ).event


@pytest.fixture
def events(world, settings):
    settings.MAP_TILE_URL = ""  # the grids alone must make a usable map
    if not EventType.objects.exists():  # a transactional test's flush empties what the data migration loaded
        load_catalogue(EventType, TimeLimit)
    # Three reports a few metres apart in grid A (one cluster), one alone in grid B.
    near = [
        report(world, "ZF0103", "河边违章搭建", 120.8850, 30.9450),
        report(world, "ZZ0201", "楼道堆放杂物", 120.8851, 30.9451),
        report(world, "SC0101", "无证餐饮", 120.8852, 30.9450),
    ]
    alone = report(world, "ZF0201", "违规张贴广告", 120.8950, 30.9450)
    return near, alone


def test_the_map_draws_grids_and_clusters_and_a_marker_opens_its_event(world, events, open_as):
    near, _alone = events
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.title().startswith("事件地图")

    assert page.evaluate("window.grassrootsMap.grids.getLayers().length") == 2
    assert page.locator(".leaflet-overlay-pane path").count() == 2
    assert page.evaluate("window.grassrootsMap.clusters.getLayers().length") == 4
    assert page.inner_text("#total-grids") == "2"
    assert page.inner_text("#total-open") == "4"

    cluster = page.locator(".ev-cluster")
    assert cluster.count() == 1 and cluster.first.inner_text() == "3"
    cluster.first.click()  # zooms in until the three markers separate
    markers = page.locator(".ev-marker")
    markers.first.wait_for(state="visible")
    page.wait_for_function("document.querySelectorAll('.ev-marker').length >= 3")

    target = page.locator(f".ev-marker[title^='{near[0].number}']")
    target.click()
    link = page.locator(".leaflet-popup .ev-title")
    link.wait_for(state="visible")
    assert link.inner_text() == "河边违章搭建"
    assert near[0].number in page.inner_text(".leaflet-popup")
    link.click()
    page.wait_for_url(re.compile(rf"/(command/events|api/v1/events)/{near[0].pk}/?$"))


def test_grid_names_appear_when_zoomed_in(world, events, open_as):
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.evaluate("window.grassrootsMap.map.setZoom(16, {animate: false})")
    page.wait_for_selector(".grid-label")
    assert page.locator(".grid-label").count() == 2


def test_the_colour_toggle_and_a_filter_redraw_the_map(world, events, open_as):
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.check("input[name=color][value=overdue]")
    assert "超期率" in page.inner_text("#map-legend")
    page.select_option("#f-platform", "market")
    page.wait_for_function("document.getElementById('map').dataset.events === '1'")
    assert "platform=market" in page.url
    assert page.inner_text("#total-open") == "1"


def test_a_grid_worker_sees_only_their_grid(world, events, open_as):
    page = open_as(world.alice)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.evaluate("window.grassrootsMap.grids.getLayers().length") == 1
    # Alice reported all four, so she sees them all; the grid layer stays hers.
    assert page.inner_text("#total-grids") == "1"


def test_the_overview_shows_the_figures_and_draws_the_trend(world, events, open_as):
    page = open_as(world.oscar)
    page.goto("/dashboard/")
    assert page.inner_text("[data-figure=intake]") == "4"
    assert page.inner_text("[data-figure=open]") == "4"
    page.wait_for_selector("#trend-chart canvas")
    page.goto("/dashboard/?screen=1")
    assert page.locator("body.screen").count() == 1
    assert not page.locator(".topbar").is_visible()


def test_the_overview_refreshes_its_figures_in_place_and_keeps_the_chart(world, events, open_as):
    page = open_as(world.oscar)
    page.goto("/dashboard/")
    page.wait_for_selector("#trend-chart canvas")
    chart = page.evaluate_handle("document.querySelector('#trend-chart canvas')")
    report(world, "ZF0103", "又一处违章搭建", 120.8853, 30.9452)
    # What the 30-second poll does, without waiting 30 seconds.
    page.evaluate(
        "htmx.ajax('GET', '/dashboard/', {source: '#overview-figures', target: '#overview-figures', swap: 'outerHTML'})"
    )
    page.wait_for_function("document.querySelector('[data-figure=intake]').textContent === '5'")
    assert page.evaluate("(c) => c.isConnected", chart)  # the same chart, not a new one
    assert page.locator(".topbar").count() == 1  # the fragment, not a page inside the page


def test_a_configured_tile_server_is_drawn_under_the_grids(world, events, open_as, settings):
    settings.MAP_TILE_URL = "/static/tiles-for-test/{z}/{x}/{y}.png"  # answers 404: the grids still draw
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map.no-tiles").count() == 0
    assert page.locator(".leaflet-tile-pane img").count() > 0
    assert page.evaluate("window.grassrootsMap.grids.getLayers().length") == 2


def test_grid_names_are_shown_as_text_not_html(world, events, open_as):
    world.grid_a.name = "<img src=x onerror=window.pwned=1>网格"
    world.grid_a.save()
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.evaluate("window.grassrootsMap.map.setZoom(16, {animate: false})")
    page.wait_for_selector(".grid-label")
    page.evaluate("window.grassrootsMap.grids.eachLayer((l) => { l.openTooltip(l.getCenter()); })")
    page.wait_for_selector(".grid-tip")
    assert any("<img src=x" in t for t in page.locator(".grid-tip").all_inner_texts())
    assert "<img src=x" in page.inner_text(".leaflet-marker-pane")
    assert page.evaluate("window.pwned") is None
