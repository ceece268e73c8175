"""The live queue: who may open it, what its filters and counters select, saved filters, bulk steps through the
services with per-event failures, and a fixed number of queries however many events there are."""

from typing import Any

import pytest
from django.contrib.messages import get_messages

from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, SavedFilter
from grassroots.geo.models import Division

from .api_support import cast_of
from .views_support import IN_GRID_B, htmx, make_overdue, page_text, report

pytestmark = pytest.mark.django_db
QUEUE = "/command/"


def row_ids(response: Any) -> list[int]:
    assert response.status_code == 200
    return [e.pk for e in (row["e"] for row in response.context["rows"])]


@pytest.fixture
def events(world: Any) -> dict[str, Event]:
    made = {
        "fresh": report(world.alice, title="河边私搭简易棚"),
        "late": report(world.alice, code="ZF0101", title="路边暴露垃圾"),
        "phoned": report(world.oscar, code="SC0101", source=Source.PHONE, title="无证小吃摊", **IN_GRID_B),
        "done": report(world.alice, title="已办结的旧事"),
    }
    make_overdue(made["late"])
    Event.objects.filter(pk=made["done"].pk).update(status=Status.ARCHIVED, deadline=None, warn_at=None)
    return made


def test_the_command_room_sees_its_open_events_newest_first(world, events):
    response = world.client_for(world.oscar).get(QUEUE)
    assert row_ids(response) == [events["phoned"].pk, events["late"].pk, events["fresh"].pk]
    html = page_text(response)
    assert 'id="queue-table"' in html and 'id="filter-light"' in html and 'id="bulk-form"' in html
    assert f'data-href="/command/events/{events["fresh"].pk}/"' in html


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dora"])
def test_people_outside_the_command_room_get_404(world, events, who):
    assert world.client_for(getattr(world, who)).get(QUEUE).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, events):
    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_leader_reads_the_queue_but_has_no_bulk_actions(world, events):
    leo = cast_of(world).leo
    response = world.client_for(leo).get(QUEUE)
    assert len(row_ids(response)) == 3
    assert 'id="bulk-form"' not in page_text(response)
    refused = world.client_for(leo).post(
        "/command/bulk/", {"ids": [events["fresh"].pk], "bulk_action": "register"}
    )
    assert refused.status_code == 404


def test_the_queue_never_shows_events_outside_the_viewers_township(world, events):
    elsewhere = Division.objects.create(
        code="330421103", name="姚庄镇", level="township", kind="town", parent=world.district
    )
    Event.objects.filter(pk=events["fresh"].pk).update(region_code="33042110300101", township=elsewhere)
    assert events["fresh"].pk not in row_ids(world.client_for(world.oscar).get(QUEUE))


def test_the_filters_select_by_light_status_platform_type_grid_unit_source_and_text(world, events):
    client = world.client_for(world.oscar)
    cases = [
        ({"light": "red"}, {"late"}),
        ({"light": "green"}, {"fresh", "phoned"}),
        ({"status": "archived"}, {"done"}),
        ({"status": "all"}, {"fresh", "late", "phoned", "done"}),
        ({"platform": "market"}, {"phoned"}),
        ({"type": "ZF01"}, {"fresh", "late"}),
        ({"type": "ZF0101"}, {"late"}),
        ({"grid": world.grid_b.code}, {"phoned"}),
        ({"unit": world.command_room.pk}, {"fresh", "late", "phoned"}),
        ({"source": "phone"}, {"phoned"}),
        ({"level": 1}, {"fresh", "late"}),
        ({"q": "垃圾"}, {"late"}),
        ({"q": events["phoned"].number}, {"phoned"}),
    ]
    names = {e.pk: name for name, e in events.items()}
    for query, expected in cases:
        assert {names[pk] for pk in row_ids(client.get(QUEUE, query))} == expected, query


def test_an_unknown_filter_value_is_shown_as_an_error_and_left_out(world, events):
    response = world.client_for(world.oscar).get(QUEUE, {"light": "purple", "q": "垃圾"})
    assert response.context["form"].errors["light"]
    assert row_ids(response) == [events["late"].pk]
    assert 'value="垃圾"' in page_text(response)


def test_the_counters_count_open_events_by_light_and_status_whatever_light_is_chosen(world, events):
    client = world.client_for(world.oscar)
    response = client.get(QUEUE, {"light": "red"}, headers=htmx("queue-counts"))
    html = page_text(response)
    assert 'id="queue-counts"' in html and 'hx-trigger="every 20s"' in html and "queue-table" not in html
    items = {item["key"]: item["n"] for item in response.context["count_items"]}
    assert items["open"] == 3 and items["red"] == 1 and items["green"] == 2 and items["yellow"] == 0
    assert items["reported"] == 3 and items["registered"] == 0


def test_a_filter_change_swaps_the_results_and_the_counters(world, events):
    response = world.client_for(world.oscar).get(QUEUE, {"light": "red"}, headers=htmx("queue-results"))
    html = page_text(response)
    assert 'id="queue-results"' in html and 'hx-swap-oob="true"' in html and "<html" not in html
    assert row_ids(response) == [events["late"].pk]


def test_a_saved_filter_is_kept_per_person_and_can_be_deleted(world, events):
    client = world.client_for(world.oscar)
    response = client.post("/command/filters/", {"name": "超期", "query": "light=red"})
    assert response.status_code == 302 and response.url == "/command/?light=red"
    saved = SavedFilter.objects.get(person=world.oscar)
    assert (saved.name, saved.query) == ("超期", "light=red")
    assert 'href="/command/?light=red"' in page_text(client.get(QUEUE))
    sam = cast_of(world).sam
    assert "超期" not in page_text(world.client_for(sam).get(QUEUE)).split('class="saved-filters"')[1][:400]
    assert world.client_for(sam).post(f"/command/filters/{saved.pk}/delete/").status_code == 302
    assert SavedFilter.objects.filter(pk=saved.pk).exists()  # not Sam's to delete
    client.post(f"/command/filters/{saved.pk}/delete/")
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_saved_filter_needs_a_name(world, events):
    response = world.client_for(world.oscar).post("/command/filters/", {"name": " ", "query": "light=red"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请填写筛选名称"]
    assert not SavedFilter.objects.exists()


def test_bulk_register_goes_event_by_event_and_reports_each_failure(world, events):
    client = world.client_for(world.oscar)
    ids = [events["fresh"].pk, events["late"].pk, events["phoned"].pk]
    response = client.post("/command/bulk/", {"ids": ids, "bulk_action": "register", "back": "light=red"})
    assert response.status_code == 302 and response.url == "/command/?light=red"
    statuses = dict(Event.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        events["fresh"].pk: Status.REGISTERED,
        events["late"].pk: Status.REGISTERED,
        events["phoned"].pk: Status.REPORTED,  # a phoned-in report must be verified first
    }
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[0] == "批量立案：成功 2 件"
    assert f"{events['phoned'].number}：该来源的事件须先现场核实，再立案" in shown


def test_bulk_dispatch_sends_every_selected_event_to_one_unit(world, events):
    client = world.client_for(world.oscar)
    ids = [events["fresh"].pk, events["late"].pk]
    client.post("/command/bulk/", {"ids": ids, "bulk_action": "register"})
    response = client.post(
        "/command/bulk/", {"ids": [*ids, 999999], "bulk_action": "dispatch", "lead_unit": world.agency.pk}
    )
    for event in Event.objects.filter(pk__in=ids):
        assert (event.status, event.holder_unit_id) == (Status.DISPATCHED, world.agency.pk)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "批量派遣：成功 2 件" in shown and "#999999：事件不存在或不在您的管辖范围内" in shown


def test_bulk_dispatch_needs_a_unit_and_bulk_actions_need_a_selection(world, events):
    client = world.client_for(world.oscar)
    response = client.post("/command/bulk/", {"ids": [events["fresh"].pk], "bulk_action": "dispatch"})
    assert "请选择主办单位" in [str(m) for m in get_messages(response.wsgi_request)]
    response = client.post("/command/bulk/", {"bulk_action": "register"})
    assert "请先勾选事件" in [str(m) for m in get_messages(response.wsgi_request)]
    assert Event.objects.filter(status=Status.REGISTERED).count() == 0


def test_bulk_supervise_issues_an_order_per_event(world, events):
    client = world.client_for(world.oscar)
    client.post(
        "/command/bulk/",
        {
            "ids": [events["fresh"].pk, events["late"].pk],
            "bulk_action": "supervise",
            "days": "2",
            "note": "加快",
        },
    )
    assert Event.objects.get(pk=events["late"].pk).supervision_orders.get().note == "加快"
    assert Event.objects.get(pk=events["fresh"].pk).supervision_orders.count() == 1


def test_the_queue_costs_the_same_few_queries_for_three_events_or_fifty(
    world, events, django_assert_max_num_queries
):
    client = world.client_for(world.oscar)
    client.get(QUEUE)  # warm the per-process caches (working calendar)
    with django_assert_max_num_queries(14):
        client.get(QUEUE)
    for i in range(47):
        report(world.alice, title=f"第{i}件", code="ZF0101" if i % 2 else "ZF0103")
    with django_assert_max_num_queries(14):
        response = client.get(QUEUE, {"sort": "due"})
    assert len(response.context["rows"]) == 50
    assert page_text(response).count('data-href="/command/events/') == 50
    assert client.get(QUEUE, {"page": 2}).context["page"].number == 1  # 50 open events fit on one page
    report(world.alice, title="第51件")
    second = client.get(QUEUE, {"page": 2})
    assert second.context["page"].number == 2 and len(second.context["rows"]) == 1
