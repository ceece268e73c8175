"""The event list: filters inside the caller's scope, the status light, cursor pages without gaps or repeats,
and a fixed number of queries whatever the page size. Also the type catalogue."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.events import services
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType

from .api_support import IN_GRID_A, IN_GRID_B, Api

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


def report(actor: Any, code: str, hours: float, *, source: str = Source.PATROL, **fields: Any) -> Event:
    fields.setdefault("title", "问题")
    return services.event_report(
        actor=actor,
        event_type=EventType.objects.get(code=code),
        source=source,
        reported_at=T0 + dt.timedelta(hours=hours),
        **fields,
    ).event


@pytest.fixture
def events(world: Any) -> dict[str, Event]:
    """Six events in 西塘镇: three of Alice's in grid A, one in grid B, a market one, one with an address only."""
    made = {
        "a1": report(world.alice, "ZF0103", 1, title="河边私搭简易棚", address="红菱村3组", **IN_GRID_A),
        "a2": report(world.alice, "ZF0101", 2, title="路边暴露垃圾", **IN_GRID_A),
        "a3": report(world.alice, "ZF0103", 3, title="违章搭建", **IN_GRID_A),
        "b1": report(
            world.oscar,
            "ZF0101",
            4,
            source=Source.PHONE,
            title="鸦鹊村垃圾堆",
            description="靠近桥头",
            **IN_GRID_B,
        ),
        "m1": report(world.oscar, "SC0101", 5, source=Source.PHONE, title="无证小吃摊", **IN_GRID_A),
        "d1": report(
            world.oscar, "ZF0401", 6, source=Source.STAFF, title="镇政府门口占道", address="西塘镇人民路1号"
        ),
    }
    services.event_register(actor=world.oscar, event=made["a1"])
    services.event_register(actor=world.oscar, event=made["a3"])
    services.event_dispatch(actor=world.oscar, event=made["a3"], lead_unit_id=world.agency.pk)
    Event.objects.filter(pk=made["a2"].pk).update(overdue=True)
    return made


def names(response: Any, events: dict[str, Event]) -> set[str]:
    assert response.status_code == 200, response.json()
    by_id = {e.pk: name for name, e in events.items()}
    return {by_id[item["id"]] for item in response.json()["items"]}


def filter_cases(world: Any, events: dict[str, Event]) -> list[tuple[dict[str, Any], set[str]]]:
    return [
        ({}, {"a1", "a2", "a3", "b1", "m1", "d1"}),
        ({"status": "registered,dispatched"}, {"a1", "a3"}),
        ({"status": "reported"}, {"a2", "b1", "m1", "d1"}),
        ({"level": 1}, {"a1", "a2"}),
        ({"platform": "market"}, {"m1"}),
        ({"type": "ZF0101"}, {"a2", "b1"}),
        ({"type": "ZF01"}, {"a1", "a2", "a3", "b1"}),
        ({"grid": world.grid_b.code}, {"b1"}),
        ({"village": world.village_a.code}, {"a1", "a2", "a3", "m1"}),
        ({"township": world.township.code}, {"a1", "a2", "a3", "b1", "m1", "d1"}),
        ({"unit": world.agency.pk}, {"a3"}),
        ({"unit": world.command_room.pk}, {"a1", "a2", "b1", "m1", "d1"}),
        ({"overdue": "true"}, {"a2"}),
        ({"overdue": "false", "level": 1}, {"a1"}),
        (
            {
                "from": (T0 + dt.timedelta(hours=2)).isoformat(),
                "to": (T0 + dt.timedelta(hours=4)).isoformat(),
            },
            {"a2", "a3", "b1"},
        ),
        ({"q": "垃圾"}, {"a2", "b1"}),
        ({"q": "桥头"}, {"b1"}),
        ({"q": "红菱村3组"}, {"a1"}),
        ({"q": events["m1"].number}, {"m1"}),
        ({"q": "垃圾", "grid": world.grid_a.code}, {"a2"}),
    ]


def test_every_filter_selects_exactly_the_matching_events(api, world, events):
    client = api.client(world.oscar)
    for query, expected in filter_cases(world, events):
        assert names(client.get("/api/v1/events", query), events) == expected, query


def test_the_list_never_leaves_the_callers_scope(api, world, events):
    assert names(api.client(world.carol).get("/api/v1/events"), events) == {"b1"}
    assert names(api.client(world.dora).get("/api/v1/events"), events) == {"a3"}
    assert names(api.client(world.carol).get("/api/v1/events", {"grid": world.grid_a.code}), events) == set()


def test_the_status_light_follows_the_stage_clock(api, world, events):
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    clocks: dict[str, dict[str, Any]] = {
        "a1": {"warn_at": now - 3 * hour, "deadline": now - hour, "overdue": False},  # past the deadline
        "a2": {"warn_at": now + hour, "deadline": now + 2 * hour, "overdue": True},  # flagged overdue
        "a3": {"warn_at": now - hour, "deadline": now + hour, "overdue": False},  # past 80%
        "b1": {"warn_at": now + hour, "deadline": now + 2 * hour, "overdue": False},
        "m1": {"warn_at": None, "deadline": None, "overdue": False},  # no clock runs
        "d1": {"warn_at": None, "deadline": None, "overdue": False},
    }
    for name, fields in clocks.items():
        Event.objects.filter(pk=events[name].pk).update(**fields)
    client = api.client(world.oscar)

    assert names(client.get("/api/v1/events", {"light": "red"}), events) == {"a1", "a2"}
    assert names(client.get("/api/v1/events", {"light": "yellow"}), events) == {"a3"}
    assert names(client.get("/api/v1/events", {"light": "green"}), events) == {"b1"}
    lights = {item["id"]: item["light"] for item in client.get("/api/v1/events").json()["items"]}
    assert [lights[events[n].pk] for n in ("a1", "a2", "a3", "b1", "m1")] == [
        "red",
        "red",
        "yellow",
        "green",
        None,
    ]


def test_bad_filters_are_refused_with_the_fields_named(api, world, events):
    client = api.client(world.oscar)

    response = client.get("/api/v1/events", {"status": "open,reported", "grid": "123", "light": "blue"})
    assert response.status_code == 422
    assert set(response.json()["details"]) == {"status", "grid", "light"}
    assert client.get("/api/v1/events", {"limit": 201}).status_code == 422
    bad_cursor = client.get("/api/v1/events", {"cursor": "not-a-cursor"})
    assert (bad_cursor.status_code, bad_cursor.json()["code"]) == (422, "invalid_cursor")


def test_cursor_pages_cover_every_event_once_even_with_ties_and_new_reports(api, world):
    for i in range(23):
        # Groups of three share a timestamp: the id breaks the tie.
        report(world.alice, "ZF0101", i // 3, title=f"垃圾{i}", **IN_GRID_A)
    expected = list(Event.objects.order_by("-reported_at", "-id").values_list("pk", flat=True))
    client = api.client(world.oscar)

    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query: dict[str, Any] = {"limit": 5}
        if cursor:
            query["cursor"] = cursor
        body = client.get("/api/v1/events", query).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if pages == 1:
            report(world.alice, "ZF0101", 100, title="翻页时新上报", **IN_GRID_A)  # newer than every cursor
        cursor = body["next"]
        if cursor is None:
            break

    assert seen == expected
    assert pages == 5


def test_the_list_costs_the_same_few_queries_for_one_row_or_fifty(api, world, django_assert_max_num_queries):
    client = api.client(world.oscar)
    report(world.alice, "ZF0101", 0, title="垃圾", **IN_GRID_A)
    client.get("/api/v1/events")  # warm the session and the calendar
    # Session read and save (3 with its savepoint), the user, and one query for the page.
    with django_assert_max_num_queries(5 + 1):
        assert len(client.get("/api/v1/events").json()["items"]) == 1

    for i in range(49):
        report(
            world.oscar,
            ("ZF0101", "SC0101", "ZF0401")[i % 3],
            i,
            source=Source.PHONE,
            title=f"事件{i}",
            **IN_GRID_B,
        )
    with django_assert_max_num_queries(5 + 1):
        assert len(client.get("/api/v1/events", {"limit": 50}).json()["items"]) == 50


def test_the_type_catalogue_is_a_tree_of_active_classes(api, world):
    EventType.objects.filter(code="ZF0105").update(is_active=False)

    tree = api.client(world.alice).get("/api/v1/event-types").json()

    enforcement = next(t for t in tree if t["code"] == "ZF01")
    assert enforcement["parent"] is None
    assert [c["code"] for c in enforcement["children"]] == ["ZF0101", "ZF0102", "ZF0103", "ZF0104"]
    garbage = enforcement["children"][0]
    assert (garbage["parent"], garbage["platform"], garbage["grid_class"], garbage["self_fixable"]) == (
        "ZF01",
        "enforcement",
        "city",
        True,
    )
    assert garbage["limits"][0] == {"level": 1, "amount": 4.0, "unit": "working_hours"}
    assert [limit["level"] for limit in garbage["limits"]] == [1, 2, 3, 4]


def test_the_api_answers_401_without_a_login(api, world):
    from django.test import Client

    response = Client().get("/api/v1/events")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
