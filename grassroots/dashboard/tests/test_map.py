"""The map page and its two GeoJSON endpoints: scope, counts, lights, filters, coordinates, queries, roles."""

import json

import pytest
from django.core.cache import cache

from grassroots.conftest import make_person
from grassroots.dashboard.coords import display_point, wgs84_to_gcj02
from grassroots.dashboard.views import event_url_pattern
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import EventType
from grassroots.people.choices import Role

PAGE = "/dashboard/map/"
GRIDS = "/dashboard/map/grids.geojson"
EVENTS = "/dashboard/map/events.geojson"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def geojson(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def grid_codes(collection):
    return sorted(f["properties"]["code"] for f in collection["features"])


def event_ids(collection):
    return sorted(f["properties"]["id"] for f in collection["features"])


def test_the_command_room_sees_every_grid_and_open_event_of_its_township(casebook):
    w, client = casebook.world, casebook.world.client_for(casebook.world.oscar)
    assert grid_codes(geojson(client, GRIDS)) == [w.grid_a.code, w.grid_b.code]
    events = geojson(client, EVENTS)
    assert event_ids(events) == sorted([casebook.e1.pk, casebook.e2.pk])  # e3 closed, e4 self-handled
    assert events["grids"] == {str(w.grid_a.pk): [1, 1], str(w.grid_b.pk): [1, 0]}
    assert events["totals"] == {"open": 2, "overdue": 1}
    assert events["truncated"] is False


def test_an_event_with_an_address_only_counts_in_the_totals_but_has_no_marker(casebook):
    w = casebook.world
    s.event_report(
        actor=w.oscar,
        event_type=EventType.objects.get(code="ZZ0201"),
        source=Source.PHONE,
        title="噪声扰民",
        address="西塘镇南苑路 8 号",
    )
    events = geojson(w.client_for(w.oscar), EVENTS)
    assert len(events["features"]) == 2
    assert events["totals"] == {"open": 3, "overdue": 1}
    assert events["grids"] == {str(w.grid_a.pk): [1, 1], str(w.grid_b.pk): [1, 0]}


@pytest.mark.parametrize(
    ("person", "grid", "events"),
    [("alice", "grid_a", ["e1"]), ("bob", "grid_a", ["e1"]), ("carol", "grid_b", ["e2"])],
)
def test_grid_and_village_people_get_only_their_grid_and_its_events(casebook, person, grid, events):
    w = casebook.world
    client = w.client_for(getattr(w, person))
    assert grid_codes(geojson(client, GRIDS)) == [getattr(w, grid).code]
    collection = geojson(client, EVENTS)
    assert event_ids(collection) == sorted(getattr(casebook, e).pk for e in events)
    assert list(collection["grids"]) == [str(getattr(w, grid).pk)]


def test_unit_staff_see_their_units_territory_coloured_by_their_units_events_only(casebook):
    w = casebook.world
    client = w.client_for(w.dora)
    assert grid_codes(geojson(client, GRIDS)) == [w.grid_a.code, w.grid_b.code]
    collection = geojson(client, EVENTS)
    assert event_ids(collection) == [casebook.e1.pk]  # e2 is not her unit's; e3 is closed
    assert collection["grids"] == {str(w.grid_a.pk): [1, 1]}


def test_a_marker_carries_number_title_status_and_light(casebook):
    collection = geojson(casebook.world.client_for(casebook.world.oscar), EVENTS)
    props = {f["properties"]["id"]: f["properties"] for f in collection["features"]}
    e1, e2 = props[casebook.e1.pk], props[casebook.e2.pk]
    assert (e1["n"], e1["t"], e1["s"], e1["l"]) == (casebook.e1.number, "河边违章搭建", "dispatched", "red")
    assert (e2["s"], e2["l"]) == ("reported", "green")
    point = next(f for f in collection["features"] if f["properties"]["id"] == casebook.e1.pk)["geometry"]
    assert point == {"type": "Point", "coordinates": [120.885, 30.945]}


def test_filters_narrow_the_markers_and_the_grid_counts(casebook):
    w, client = casebook.world, casebook.world.client_for(casebook.world.oscar)
    assert event_ids(geojson(client, EVENTS, platform="governance")) == [casebook.e2.pk]
    assert event_ids(geojson(client, EVENTS, type="ZF01")) == [
        casebook.e1.pk
    ]  # a major class takes its subclasses
    today = geojson(client, EVENTS, period="today")
    assert event_ids(today) == [casebook.e2.pk] and today["grids"] == {str(w.grid_b.pk): [1, 0]}
    assert event_ids(geojson(client, EVENTS, period="7d")) == [casebook.e2.pk]  # e1 came in 9 days ago
    assert event_ids(geojson(client, EVENTS, period="30d")) == sorted([casebook.e1.pk, casebook.e2.pk])


def test_unknown_filter_values_are_refused_per_field_in_chinese(casebook):
    response = casebook.world.client_for(casebook.world.oscar).get(
        EVENTS, {"platform": "x", "period": "1y", "type": "NOPE"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and set(body["details"]) == {"platform", "period", "type"}
    assert body["details"]["platform"] == "未知平台"


def test_the_grid_layer_has_what_the_map_labels_need_and_lean_coordinates(casebook):
    w = casebook.world
    feature = geojson(w.client_for(w.alice), GRIDS)["features"][0]
    assert feature["properties"] == {
        "id": w.grid_a.pk,
        "code": w.grid_a.code,
        "name": w.grid_a.name,
        "village": "红菱村",
        "households": 150,
        "label": display_point("wgs84")(w.grid_a.label_lon, w.grid_a.label_lat),
    }
    ring = feature["geometry"]["coordinates"][0]
    assert ring[1] == [120.89, 30.94]
    assert all(len(str(x).split(".")[-1]) <= 6 for position in ring for x in position)


def test_gcj02_tiles_get_gcj02_coordinates_for_grids_and_markers(casebook, settings):
    settings.MAP_COORDINATES = "gcj02"
    client = casebook.world.client_for(casebook.world.oscar)
    expected = [round(x, 6) for x in wgs84_to_gcj02(120.885, 30.945)]
    events = geojson(client, EVENTS)
    e1 = next(f for f in events["features"] if f["properties"]["id"] == casebook.e1.pk)
    assert e1["geometry"]["coordinates"] == expected
    grid_a = next(
        f for f in geojson(client, GRIDS)["features"] if f["properties"]["code"] == casebook.world.grid_a.code
    )
    assert grid_a["geometry"]["coordinates"][0][0] == [round(x, 6) for x in wgs84_to_gcj02(120.88, 30.94)]


def test_the_grid_layer_is_cached_and_revalidated_by_etag(casebook, django_assert_num_queries):
    w = casebook.world
    client = w.client_for(w.oscar)
    first = client.get(GRIDS)
    etag = first["ETag"]
    # session, user, grid version (a cache hit), session save (3 with its savepoint)
    with django_assert_num_queries(6):
        again = client.get(GRIDS)
    assert again.content == first.content
    assert client.get(GRIDS, headers={"If-None-Match": etag}).status_code == 304
    w.grid_b.name = "鸦鹊一网格"
    w.grid_b.save()
    changed = client.get(GRIDS, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "鸦鹊一网格" in changed.content.decode()


def test_the_endpoints_answer_in_a_fixed_number_of_queries(casebook, django_assert_max_num_queries):
    client = casebook.world.client_for(casebook.world.oscar)
    # session, user, grid version, grids (a cache miss), session save (3 with its savepoint)
    with django_assert_max_num_queries(7):
        client.get(GRIDS)
    # session, user, grid counts, markers, session save
    with django_assert_max_num_queries(7):
        client.get(EVENTS)
    # ... and one more to check that the type exists
    with django_assert_max_num_queries(8):
        client.get(EVENTS, {"type": "ZF01", "platform": "enforcement", "period": "30d"})


def test_unit_staff_grid_layer_costs_one_query_for_their_units_territory(
    casebook, django_assert_max_num_queries
):
    client = casebook.world.client_for(casebook.world.dora)
    with django_assert_max_num_queries(8):
        client.get(GRIDS)


def test_the_page_carries_the_filters_and_the_map_configuration(casebook, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    response = casebook.world.client_for(casebook.world.oscar).get(PAGE, {"platform": "market"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="market" selected>' in html
    config = response.context["config"]
    assert response.context["basemap"]["tiles"][0]["url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert config["crs"] == "wgs84" and config["eventsUrl"] == EVENTS and config["gridsUrl"] == GRIDS
    assert config["statuses"]["dispatched"] == "已派遣"
    assert "leaflet.markercluster.js" in html and "js/map.js" in html
    assert html.index("js/basemap.js") < html.index("js/map.js")


def test_without_a_tile_server_the_map_draws_the_vector_base_map(casebook, settings):
    settings.MAP_TILE_URL = ""
    settings.TIANDITU_KEY = ""
    response = casebook.world.client_for(casebook.world.oscar).get(PAGE)
    assert response.context["basemap"]["tiles"] == []
    assert response.context["basemap"]["featuresUrl"] == "/geo/basemap.geojson"


@pytest.mark.urls("grassroots.dashboard.tests.urls_without_events")
def test_markers_link_to_the_api_while_the_event_page_is_not_installed():
    assert event_url_pattern() == "/api/v1/events/{id}"


@pytest.mark.urls("grassroots.dashboard.tests.urls")
def test_markers_link_to_the_event_page():
    assert event_url_pattern() == "/command/events/{id}/"


@pytest.mark.parametrize(
    "role",
    [
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.CENTRE_OPERATOR,
        Role.LEADER,
        Role.GRID_WORKER,
        Role.GRID_HEAD,
        Role.GRID_INSTRUCTOR,
        Role.VILLAGE_STAFF,
        Role.PLATFORM_COORDINATOR,
    ],
)
def test_command_grid_and_village_roles_see_the_map(world, role):
    person = make_person(f"p-{role}", "某人", role, division=world.village_a)
    client = world.client_for(person)
    assert client.get(PAGE).status_code == 200
    assert client.get(GRIDS).status_code == 200


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.INSPECTOR, Role.MEDIATOR, Role.WINDOW_CLERK])
def test_unit_staff_see_the_map(world, role):
    person = make_person(f"p-{role}", "某人", role, unit=world.agency)
    assert world.client_for(person).get(PAGE).status_code == 200


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.VOLUNTEER])
def test_other_roles_get_404_for_the_map_and_its_data(world, role):
    person = make_person(f"p-{role}", "某人", role, division=world.township)
    client = world.client_for(person)
    for url in (PAGE, GRIDS, EVENTS):
        assert client.get(url).status_code == 404


def test_the_roles_match_the_navigation():
    from grassroots.core.navigation import ITEMS
    from grassroots.dashboard.permissions import MAP_ROLES, OVERVIEW_ROLES

    roles = {item.url_name: item.roles for item in ITEMS}
    assert roles["dashboard:map"] == MAP_ROLES
    assert roles["dashboard:overview"] == OVERVIEW_ROLES
