"""The answer in the loop: after it the command room checks, calls back and closes as after a unit's feedback; an
answer to an event the command room moved meanwhile is recorded without moving it; the timer worker and
`manage.py hotline_sync` both send."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from grassroots.core.errors import DomainError
from grassroots.events import services
from grassroots.events.choices import Status
from grassroots.events.management.commands.run_timers import run_tick
from grassroots.events.models import Event, Transition
from grassroots.events.tests.api_support import cast_of
from grassroots.events.tests.views_support import report
from grassroots.hotline.choices import OrderState
from grassroots.hotline.connector import Reply
from grassroots.hotline.models import WorkOrder
from grassroots.hotline.services import hotline_hand_off, hotline_reply_record

from .fake_12345 import running
from .support import SECRET, point_at, registered

pytestmark = pytest.mark.django_db


def answered(order: WorkOrder, text: str = "已办结") -> None:
    hotline_reply_record(
        reply=Reply(idempotency_key=order.idempotency_key, external_number="", status="answered", answer=text)
    )


def fresh(event: Event) -> Event:
    return Event.objects.select_related("event_type").get(pk=event.pk)


def test_after_the_answer_the_command_room_checks_calls_back_and_closes(world: Any) -> None:
    event = registered(world)
    answered(hotline_hand_off(actor=world.oscar, event=event, note="转区级"))
    assert fresh(event).status == Status.FED_BACK
    services.event_check(actor=world.oscar, event=fresh(event), passed=True, note="电话核实已处理")
    assert fresh(event).status == Status.CHECKED
    services.event_callback(actor=world.oscar, event=fresh(event), satisfaction=5)
    services.event_close(actor=cast_of(world).sam, event=fresh(event))
    assert fresh(event).status == Status.CLOSED
    actions = list(Transition.objects.filter(event=event).order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == ["hand_off_12345", "answer_12345", "check", "callback", "close"]


def test_an_answer_to_an_event_dispatched_meanwhile_is_recorded_and_the_status_kept(world: Any) -> None:
    event = registered(world)
    order = hotline_hand_off(actor=world.oscar, event=event, note="转区级")
    services.event_dispatch(actor=world.oscar, event=fresh(event), lead_unit_id=world.agency.pk)
    answered(order, "区里已答复")
    assert fresh(event).status == Status.DISPATCHED
    row = Transition.objects.get(event=event, action="answer_12345")
    assert (row.from_status, row.to_status) == (Status.DISPATCHED, Status.DISPATCHED)
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.ANSWERED


def test_only_a_registered_event_is_handed_off(world: Any) -> None:
    event = report(world.alice)  # reported, not yet registered
    with pytest.raises(DomainError):
        hotline_hand_off(actor=world.oscar, event=event, note="转")
    assert not WorkOrder.objects.exists()


def test_seed_003_route_the_leaders_decide_on_12345_and_the_hand_off_follows_it(world: Any) -> None:
    from grassroots.events.routes import ROUTES
    from grassroots.events.services.routing import event_decide_route, event_refer_to_leaders

    assert ROUTES["hotline"].action == "hand_off_12345"  # offered by the leaders' 研判
    leo = cast_of(world).leo
    event = registered(world)
    event_refer_to_leaders(actor=world.oscar, event=event, note="超出乡镇职能")
    with pytest.raises(DomainError) as pending:
        hotline_hand_off(actor=world.oscar, event=fresh(event), note="转")
    assert pending.value.code == "awaiting_leaders" and not WorkOrder.objects.exists()
    event_decide_route(actor=leo, event=fresh(event), route="hotline", note="属市级职能，转12345")
    hotline_hand_off(actor=world.oscar, event=fresh(event), note="按领导研判意见转12345")
    assert fresh(event).route == "hotline" and WorkOrder.objects.filter(event=event).count() == 1

    other = registered(world)
    event_refer_to_leaders(actor=world.oscar, event=other, note="重大")
    event_decide_route(actor=leo, event=fresh(other), route="joint", note="联合处置")
    with pytest.raises(DomainError) as mismatch:
        hotline_hand_off(actor=world.oscar, event=fresh(other), note="转")
    assert mismatch.value.code == "route_mismatch"


def test_the_timer_worker_and_the_command_send(world: Any, settings: Any) -> None:
    with running(SECRET) as platform:
        point_at(settings, platform.url)
        first = hotline_hand_off(actor=world.oscar, event=registered(world), note="转区级")
        summary = run_tick()
        assert summary.others["12345 转办"] == 1 and not summary.errors
        assert WorkOrder.objects.get(pk=first.pk).state == OrderState.SENT
        second = hotline_hand_off(actor=world.oscar, event=registered(world, title="第二件"), note="转区级")
        out = StringIO()
        call_command("hotline_sync", stdout=out)
        assert "发送 1 件" in out.getvalue()
        assert WorkOrder.objects.get(pk=second.pk).state == OrderState.SENT
        assert len(platform.orders) == 2
