"""The HTTP connector against a local 12345 platform: hand-off → sent with its external number → the answer comes
back (call back or poll) → on the event's history and the event fed back; retries with backoff on 500s and
timeouts; a replay never makes a second order on either side."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.core.errors import Conflict
from grassroots.events.choices import Status
from grassroots.events.models import Event, Transition
from grassroots.hotline import connector
from grassroots.hotline.choices import OrderState
from grassroots.hotline.models import WorkOrder
from grassroots.hotline.sending import hotline_poll_due, hotline_send_due
from grassroots.hotline.services import hotline_hand_off

from .fake_12345 import running
from .support import SECRET, point_at, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(settings: Any) -> Any:
    with running(SECRET) as fake:
        point_at(settings, fake.url)
        yield fake


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def signed_post(client: Client, body: dict[str, Any], secret: str = SECRET) -> Any:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = connector.signed_headers(secret, data)
    headers.pop("Content-Type")
    return client.post("/api/v1/hotline/answers", data=data, content_type="application/json", headers=headers)


def test_a_handed_off_event_is_sent_numbered_answered_and_fed_back(world: Any, platform: Any) -> None:
    event = registered(world)
    order = hotline_hand_off(actor=world.oscar, event=event, note="事权在区住建局，本级无法处置")
    assert order.state == OrderState.QUEUED
    assert Transition.objects.filter(event=event, action="hand_off_12345", actor=world.oscar).exists()

    assert hotline_send_due() == 1
    order.refresh_from_db()
    assert order.state == OrderState.SENT
    assert order.external_number == "12345-2026-000001"
    assert platform.orders[order.idempotency_key]["title"] == event.title
    assert "reporter_phone" not in platform.orders[order.idempotency_key]  # the matter, not the caller
    sent = Transition.objects.get(event=event, action="hotline_sent")
    assert order.external_number in sent.note

    platform.answer(order.external_number, "已由区住建局拆除违建棚，现场已恢复。")
    response = signed_post(
        Client(),
        {
            "idempotency_key": order.idempotency_key,
            "external_number": order.external_number,
            **platform.answers[order.external_number],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] is True
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.answered_by == "区住建局"
    event = Event.objects.get(pk=event.pk)
    assert event.status == Status.FED_BACK
    answer = Transition.objects.get(event=event, action="answer_12345")
    assert "已由区住建局拆除违建棚" in answer.note and answer.to_status == Status.FED_BACK
    assert event.deadline is not None  # the check's clock runs, as after a unit's feedback


def test_the_same_answer_delivered_twice_is_recorded_once(world: Any, platform: Any) -> None:
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    order.refresh_from_db()
    body = {"external_number": order.external_number, "answer": "已办结", "answered_by": "区城管局"}
    first, second = signed_post(Client(), body), signed_post(Client(), body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["recorded"], second.json()["recorded"]) == (True, False)
    assert Transition.objects.filter(action="answer_12345").count() == 1
    changed = signed_post(Client(), {**body, "answer": "另一个答复"})
    assert changed.status_code == 409 and changed.json()["code"] == "already_answered"
    assert WorkOrder.objects.get(pk=order.pk).answer == "已办结"


def test_an_answer_is_refused_without_a_valid_signature_or_for_an_unknown_order(
    world: Any, platform: Any
) -> None:
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    order.refresh_from_db()
    body = {"external_number": order.external_number, "answer": "已办结"}
    forged = signed_post(Client(), body, secret="wrong")
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    unsigned = Client().post("/api/v1/hotline/answers", data=body, content_type="application/json")
    assert unsigned.status_code == 401
    unknown = signed_post(Client(), {"external_number": "12345-NOPE", "answer": "x"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_work_order"
    empty = signed_post(Client(), {"external_number": order.external_number, "answer": " "})
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_reply"
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.SENT
    assert not Transition.objects.filter(action="answer_12345").exists()


def test_a_500_is_retried_with_exponential_backoff_and_then_sent_once(world: Any, platform: Any) -> None:
    platform.failures = [500, 503]
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    start = timezone.now()
    assert hotline_send_due(now=start) == 1
    order.refresh_from_db()
    assert (order.state, order.attempts) == (OrderState.QUEUED, 1)
    assert "HTTP 500" in order.last_error
    assert order.next_attempt_at == start + dt.timedelta(seconds=60)
    assert hotline_send_due(now=start + dt.timedelta(seconds=30)) == 0  # not due yet: nothing sent
    assert hotline_send_due(now=start + dt.timedelta(seconds=61)) == 1
    order.refresh_from_db()
    assert order.attempts == 2 and order.next_attempt_at == start + dt.timedelta(seconds=61 + 120)
    assert hotline_send_due(now=start + dt.timedelta(seconds=200)) == 1
    order.refresh_from_db()
    assert (order.state, order.attempts, order.last_error) == (OrderState.SENT, 3, "")
    assert len(platform.orders) == 1


def test_a_timeout_is_retried_and_the_replay_gets_the_same_number(world: Any, platform: Any) -> None:
    platform.failures = ["slow"]
    platform.slow_seconds = 1.5
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    order.refresh_from_db()
    assert order.state == OrderState.QUEUED and "连接失败" in order.last_error
    # The worker sends again; the platform had never numbered the slow one, and numbers this one once.
    hotline_send_due(now=later(2))
    order.refresh_from_db()
    number = order.external_number
    assert order.state == OrderState.SENT and number
    # A worker that died after sending sends the same order again: same key, same number, nothing new.
    WorkOrder.objects.filter(pk=order.pk).update(state=OrderState.QUEUED, next_attempt_at=timezone.now())
    hotline_send_due(now=later(3))
    order.refresh_from_db()
    assert order.external_number == number and len(platform.orders) == 1


def test_an_order_that_keeps_failing_is_given_up_and_the_event_stays_registered(
    world: Any, platform: Any, settings: Any
) -> None:
    settings.HOTLINE_MAX_ATTEMPTS = 2
    platform.failures = [500, 500]
    event = registered(world)
    order = hotline_hand_off(actor=world.oscar, event=event, note="转区级")
    hotline_send_due(now=later(0))
    hotline_send_due(now=later(5))
    order.refresh_from_db()
    assert (order.state, order.attempts, order.next_attempt_at) == (OrderState.FAILED, 2, None)
    assert Transition.objects.filter(event=event, action="hotline_failed").exists()
    assert Event.objects.get(pk=event.pk).status == Status.REGISTERED
    # Out of the way: the command room may hand it off again.
    again = hotline_hand_off(actor=world.oscar, event=Event.objects.get(pk=event.pk), note="重新转办")
    assert again.idempotency_key != order.idempotency_key


def test_a_refusal_4xx_is_not_retried(world: Any, platform: Any) -> None:
    platform.failures = [400]
    order = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
    hotline_send_due()
    order.refresh_from_db()
    assert (order.state, order.attempts) == (OrderState.FAILED, 1)
    assert "HTTP 400" in order.last_error


def test_polling_finds_the_answer_when_the_platform_does_not_call_back(
    world: Any, platform: Any, settings: Any
) -> None:
    settings.HOTLINE_POLL_SECONDS = 300
    event = registered(world)
    order = hotline_hand_off(actor=world.oscar, event=event, note="转区级")
    hotline_send_due()
    order.refresh_from_db()
    assert hotline_poll_due(now=later(1)) == 0  # not due
    assert hotline_poll_due(now=later(6)) == 1  # accepted
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED
    platform.answer(order.external_number, "已转区市场监管局办结")
    assert hotline_poll_due(now=later(12)) == 1
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED
    assert Event.objects.get(pk=event.pk).status == Status.FED_BACK


def test_an_event_goes_out_once_at_a_time_and_only_when_registered(world: Any, platform: Any) -> None:
    event = registered(world)
    hotline_hand_off(actor=world.oscar, event=event, note="转区级")
    with pytest.raises(Conflict) as refused:
        hotline_hand_off(actor=world.oscar, event=Event.objects.get(pk=event.pk), note="再转一次")
    assert refused.value.code == "already_handed_off"
    assert WorkOrder.objects.filter(event=event).count() == 1
