"""Every map has a base layer under its grids: the configured tiles (天地图, or a tile URL), or else the base-map
features of the database drawn as a vector map (roads, water, village boundaries and their names).

No network: tile requests are answered here with a small PNG (Playwright's page.route)."""

import base64

import pytest

from grassroots.geo.tests.basemap_data import world_base_map

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def base_map(world, settings):
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = ""
    return world_base_map(world)


# The base map of the view shown is drawn: no answer for a later view still on its way (a first view, then the
# page fitting its grids, asks twice).
DRAWN = "#map[data-basemap-features]:not([data-basemap-loading])"


def base_paths(page, css: str) -> int:
    return page.locator(f"{css} .leaflet-basemap-pane path").count()


def answer_tiles(page, pattern: str) -> list[str]:
    asked: list[str] = []

    def fulfil(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route(pattern, fulfil)
    return asked


def test_the_grid_map_without_tiles_draws_roads_water_and_villages_under_the_grids(world, base_map, open_as):
    page = open_as(world.oscar)
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1'][data-basemap-features]:not([data-basemap-loading])")
    assert page.get_attribute("#map", "data-basemap") == "vector"
    # Both roads (each over its grey casing), the river and the pond, both villages; not the road far away.
    assert page.locator("#map path.basemap-road").count() == 2
    assert page.locator("#map path.basemap-road-casing").count() == 2
    assert page.locator("#map path.basemap-water").count() == 2
    assert page.locator("#map path.basemap-boundary").count() == 2
    assert base_paths(page, "#map") == 8
    assert page.locator(".leaflet-tile-pane img").count() == 0
    # Under the grid outlines, which stay alone in the overlay pane.
    assert page.locator("#map .leaflet-overlay-pane path").count() == 2
    below = "getComputedStyle(document.querySelector('.leaflet-basemap-pane')).zIndex"
    above = "getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex"
    assert int(page.evaluate(below)) < int(page.evaluate(above))

    # Village names show when zoomed in; road names from closer still, written as text.
    page.evaluate("window.grassrootsMap.map.setView([30.945, 120.885], 13, {animate: false})")
    page.wait_for_selector(".basemap-label-boundary >> text=红菱村")
    assert page.locator(".basemap-label-road", has_text="红菱路").count() == 0  # a village road: from zoom 15
    page.evaluate("window.grassrootsMap.map.setView([30.945, 120.885], 16, {animate: false})")
    page.wait_for_selector(".basemap-label-road >> text=红菱路")
    page.wait_for_selector(".basemap-label-road >> text=塘东公路")
    page.wait_for_selector(".basemap-label-water >> text=红旗塘")


def test_the_phone_report_map_draws_the_base_map_around_the_grid(world, base_map, open_as):
    page = open_as(world.alice, phone=True)
    page.goto("/m/report/")
    page.wait_for_selector(DRAWN)
    assert page.locator("#map path.basemap-road").count() >= 1
    assert page.locator("#map path.basemap-water").count() >= 1
    assert page.locator("#map .leaflet-tile-pane img").count() == 0


def test_the_public_report_map_draws_the_base_map(world, base_map, open_as):
    page = open_as(None)
    page.goto("/report/")
    page.wait_for_selector(DRAWN)
    assert page.locator("#map path.basemap-road").count() == 2
    assert page.locator("#map path.basemap-water").count() == 2


def test_with_tianditu_configured_every_map_draws_its_tiles_and_no_vector_map(
    world, base_map, open_as, settings
):
    settings.TIANDITU_KEY = "k3y-for-test"
    page = open_as(world.oscar)
    asked = answer_tiles(page, "https://*.tianditu.gov.cn/**")
    page.goto("/dashboard/map/")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_selector(".leaflet-tile-pane img.leaflet-tile-loaded")
    sources = page.eval_on_selector_all(".leaflet-tile-pane img", "imgs => imgs.map(i => i.src)")
    assert any("tianditu.gov.cn/vec_w/wmts?" in src and "tk=k3y-for-test" in src for src in sources)
    assert any("tianditu.gov.cn/cva_w/wmts?" in src and "LAYER=cva" in src for src in sources)
    assert asked and all(url.startswith("https://t") for url in asked)
    assert page.get_attribute("#map", "data-basemap") == "tiles"
    assert base_paths(page, "#map") == 0
    assert "天地图" in page.inner_text("#map .leaflet-control-attribution")


def test_a_configured_tile_url_reaches_the_event_page_map(world, base_map, open_as, settings):
    from grassroots.events import services as s
    from grassroots.events.catalogue import load_catalogue
    from grassroots.events.choices import Source
    from grassroots.events.models import EventType, TimeLimit

    if not EventType.objects.exists():
        load_catalogue(EventType, TimeLimit)
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "测试底图"
    page = open_as(world.oscar)
    answer_tiles(page, "https://tiles.example/**")
    page.goto(f"/command/events/{event.pk}/")
    page.wait_for_selector("#event-map .leaflet-tile-pane img.leaflet-tile-loaded")
    sources = page.eval_on_selector_all("#event-map .leaflet-tile-pane img", "imgs => imgs.map(i => i.src)")
    assert sources and all(src.startswith("https://tiles.example/") for src in sources)
    assert base_paths(page, "#event-map") == 0
