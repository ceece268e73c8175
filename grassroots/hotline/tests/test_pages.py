"""转12345 on the event page (the command room's form, refused to others, 404 out of scope), the panel while the
event is out and after the answer, and the external number found by the queue's search and the APIs."""

from typing import Any

import pytest
from django.test import Client

from grassroots.events.models import Event, Transition
from grassroots.hotline.choices import OrderState
from grassroots.hotline.connector import Reply
from grassroots.hotline.models import WorkOrder
from grassroots.hotline.services import hotline_hand_off, hotline_reply_record

from .support import registered

pytestmark = pytest.mark.django_db


def page(client: Client, event: Event) -> str:
    response = client.get(f"/command/events/{event.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def hand_off_url(event: Event) -> str:
    return f"/command/hotline/events/{event.pk}/hand-off/"


def out_with_number(world: Any, event: Event, number: str = "12345-2026-000777") -> WorkOrder:
    order = hotline_hand_off(actor=world.oscar, event=event, note="事权在区级")
    WorkOrder.objects.filter(pk=order.pk).update(state=OrderState.SENT, external_number=number)
    return WorkOrder.objects.get(pk=order.pk)


def test_the_operator_hands_an_event_to_12345_from_its_page(world: Any) -> None:
    event = registered(world)
    operator = world.client_for(world.oscar)
    assert 'action="/command/hotline/events/' in page(operator, event)
    response = operator.post(hand_off_url(event), {"note": "事权不在本级，转区12345"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "已转12345：" in text and "事件已转交12345平台办理，等待答复。" in text
    order = WorkOrder.objects.get(event=event)
    assert (order.state, order.note, order.created_by) == (
        OrderState.QUEUED,
        "事权不在本级，转区12345",
        world.oscar,
    )
    assert Transition.objects.filter(event=event, action="hand_off_12345").count() == 1
    assert "hotline/events" not in page(operator, event).split('id="hotline"')[1].split("</section>")[0]


def test_an_empty_note_is_refused_and_nothing_is_written(world: Any) -> None:
    event = registered(world)
    response = world.client_for(world.oscar).post(hand_off_url(event), {"note": "  "}, follow=True)
    assert "未能转12345：请填写转办说明" in response.content.decode()
    assert not WorkOrder.objects.exists()
    assert not Transition.objects.filter(action="hand_off_12345").exists()


def test_a_grid_worker_has_no_form_and_is_refused(world: Any) -> None:
    event = registered(world)
    alice = world.client_for(world.alice)
    assert 'id="hotline"' not in page(alice, event)
    response = alice.post(hand_off_url(event), {"note": "我也想转"}, follow=True)
    assert "未能转12345" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_an_event_out_of_scope_is_404(world: Any) -> None:
    event = registered(world)
    response = world.client_for(world.dora).post(hand_off_url(event), {"note": "转"})
    assert response.status_code == 404
    assert not WorkOrder.objects.exists()


def test_the_answer_shows_on_the_event_page(world: Any) -> None:
    event = registered(world)
    order = out_with_number(world, event)
    hotline_reply_record(
        reply=Reply(
            idempotency_key="", external_number=order.external_number, status="answered", answer="已修复路灯"
        )
    )
    text = page(world.client_for(world.oscar), event)
    assert "已修复路灯" in text and "12345-2026-000777" in text and "已答复" in text
    assert "12345答复" in text  # the history's row


def test_the_external_number_finds_the_event_in_the_queue_and_the_apis(world: Any) -> None:
    event = registered(world)
    other = registered(world, title="另一件事")
    out_with_number(world, event)
    operator = world.client_for(world.oscar)
    queue = operator.get("/command/", {"q": "12345-2026-000777"}).content.decode()
    assert event.number in queue and other.number not in queue
    listed = operator.get("/api/v1/events", {"q": "12345-2026-000777"}).json()
    assert [e["id"] for e in listed["items"]] == [event.pk]
    orders = operator.get("/api/v1/hotline/orders", {"q": "12345-2026-000777"}).json()
    assert [o["event_id"] for o in orders] == [event.pk]
    assert world.client_for(world.dora).get("/api/v1/hotline/orders").json() == []


def test_the_panel_costs_the_same_queries_for_one_order_or_several(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    event = registered(world)
    operator = world.client_for(world.oscar)
    out_with_number(world, event)
    with django_assert_max_num_queries(100) as one:
        page(operator, event)
    for n in range(3):  # given up, handed off again
        WorkOrder.objects.filter(event=event).update(state=OrderState.FAILED)
        hotline_hand_off(actor=world.oscar, event=Event.objects.get(pk=event.pk), note=f"第{n}次")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page(operator, event)


def test_the_api_hand_off_answers_201_then_409(world: Any) -> None:
    event = registered(world)
    operator = world.client_for(world.oscar)
    url = f"/api/v1/hotline/events/{event.pk}/hand-off"
    first = operator.post(url, {"note": "转区级"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["state"] == "queued"
    second = operator.post(url, {"note": "转区级"}, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "already_handed_off"
    outside = world.client_for(world.dora).post(url, {"note": "转"}, content_type="application/json")
    assert outside.status_code == 404
