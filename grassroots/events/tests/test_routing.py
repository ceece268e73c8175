"""Modes (直办/交办/督办), seed 003's routes and 双反馈, through the HTTP API, with the history they leave."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from grassroots.events.choices import Mode, Source, Status, SupervisionKind
from grassroots.events.models import Assignment, EventType, SupervisionOrder
from grassroots.events.routes import ROUTES, Route, register_route
from grassroots.events.services.intake_desk import intake_register
from grassroots.events.services.timers import timers_tick
from grassroots.notifications.models import Notification
from grassroots.open311.selectors import request_timeline
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit

from .api_support import Api, Cast, cast_of, event, steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


@pytest.fixture
def platforms(world: Any, cast: Cast) -> dict[str, Unit]:
    """Two platforms of the township: 市场监管 (office: the market agency, member: the food office) and 综合执法
    (office: the enforcement squad)."""
    food = Unit.objects.create(
        code="330421102-SAB", name="西塘镇食安办", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    market = Platform.objects.create(township=world.township, kind=PlatformKind.MARKET, office=world.agency)
    market.members.add(world.agency, food)
    enforcement = Platform.objects.create(
        township=world.township, kind=PlatformKind.ENFORCEMENT, office=cast.squad
    )
    enforcement.members.add(cast.squad)
    return {"market": world.agency, "food": food, "squad": cast.squad}


def citizen_call(world: Any, *, mode: str = "") -> int:
    """A citizen's phone call taken at the intake desk, with a number to call back."""
    result = intake_register(
        actor=world.oscar,
        channel=Source.PHONE,
        event_type=EventType.objects.get(code="ZF0103"),
        description="河边有人私搭简易棚，想问问归谁管",
        address="西塘镇红菱村河边",
        caller_name="钱先生",
        caller_phone="13900001111",
        callback_wanted=True,
        mode=mode,
    )
    return result.event.pk


def registered(api: Api, world: Any, **fields: Any) -> int:
    event_id = api.reported(world.alice)
    api.ok(world.oscar, event_id, "register", **fields)
    return event_id


def test_direct_the_operator_settles_the_call_and_closes_it_after_the_callback(api, world, cast):
    event_id = citizen_call(world, mode=Mode.DIRECT)
    assert event(event_id).mode == Mode.DIRECT
    # 直办 is not dispatched.
    refused = api.act(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk, mode="direct")
    assert refused.status_code in (409, 422)
    api.ok(world.oscar, event_id, "settle", note="已电话告知：由综合执法中队负责，已转告巡查")
    e = event(event_id)
    assert e.status == Status.CHECKED and e.result_fed_back_at is not None
    # 双反馈: the caller has not been told yet, so the shift lead cannot close.
    refused = api.act(cast.sam, event_id, "close")
    assert refused.status_code == 409
    assert refused.json()["code"] == "feedback_incomplete"
    assert "双反馈未完成" in refused.json()["message"] and "反映人" in refused.json()["message"]
    assert event(event_id).status == Status.CHECKED
    detail = api.detail(cast.sam, event_id)
    assert detail["feedback"]["missing"] == ["reporter"]
    api.ok(world.oscar, event_id, "callback", satisfaction=5)
    api.ok(cast.sam, event_id, "close")
    detail = api.detail(cast.sam, event_id)
    assert [a for a, _, _ in steps(detail)] == ["report", "settle", "callback", "close"]
    assert detail["feedback"]["missing"] == [] and detail["feedback"]["reporter_at"]
    assert not Assignment.objects.filter(event_id=event_id).exists()


def test_settle_is_only_for_direct_events(api, world):
    event_id = registered(api, world, mode="assigned")
    refused = api.act(world.oscar, event_id, "settle", note="当场答复")
    assert refused.status_code == 409 and refused.json()["code"] == "mode_not_direct"
    assert event(event_id).status == Status.REGISTERED


def test_assigned_one_unit_runs_the_normal_loop_on_the_type_limit(api, world):
    event_id = registered(api, world, mode="assigned")
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk, mode="assigned")
    e = event(event_id)
    assert e.status == Status.DISPATCHED and e.mode == Mode.ASSIGNED and e.leader_id is None
    assert not SupervisionOrder.objects.filter(event=e).exists()


def test_supervised_needs_a_leader_and_gets_an_order_and_a_stricter_limit(
    api, world, cast, django_capture_on_commit_callbacks
):
    normal_id = registered(api, world)
    api.ok(world.oscar, normal_id, "dispatch", lead_unit_id=world.agency.pk)
    event_id = registered(api, world, mode="supervised")
    missing = api.act(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk, mode="supervised")
    assert missing.status_code == 422 and "责任领导" in missing.json()["message"]
    assert event(event_id).status == Status.REGISTERED
    api.ok(
        world.oscar,
        event_id,
        "dispatch",
        lead_unit_id=world.agency.pk,
        mode="supervised",
        leader_id=cast.leo.pk,
    )
    normal, supervised = event(normal_id), event(event_id)
    assert supervised.deadline and supervised.stage_started_at and supervised.warn_at
    assert normal.deadline and normal.stage_started_at
    assert supervised.leader_id == cast.leo.pk and supervised.leader_flagged
    order = SupervisionOrder.objects.get(event=supervised)
    assert order.kind == SupervisionKind.SUPERVISE and order.unit_id == world.agency.pk
    assert order.deadline == supervised.deadline
    # Half the limit (EVENTS_SUPERVISED_LIMIT_RATIO): the supervised clock ends before the ordinary one.
    assert supervised.deadline - supervised.stage_started_at < normal.deadline - normal.stage_started_at
    assert api.detail(cast.leo, event_id)["leader"] == cast.leo.name
    # Reminders: at 80% the owning leader is told as well as the unit.
    with django_capture_on_commit_callbacks(execute=True):
        timers_tick(now=supervised.warn_at + dt.timedelta(minutes=1))
    assert event(event_id).warned
    assert Notification.objects.filter(recipient=cast.leo, verb="warn", event_id=event_id).exists()


def test_a_major_matter_waits_for_the_leaders_who_decide_the_route_with_a_note(
    api, world, cast, platforms, django_capture_on_commit_callbacks
):
    event_id = registered(api, world)
    with django_capture_on_commit_callbacks(execute=True):
        api.ok(world.oscar, event_id, "refer_to_leaders", note="涉及多个村，影响较大")
    assert event(event_id).route == "leaders"
    assert Notification.objects.filter(recipient=cast.leo, event_id=event_id).exists()
    waiting = api.act(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk)
    assert waiting.status_code == 409 and waiting.json()["code"] == "awaiting_leaders"
    # The operator is not a leader.
    assert api.act(world.oscar, event_id, "decide_route", route="joint", note="联合").status_code == 403
    bad = api.act(cast.leo, event_id, "decide_route", route="nowhere", note="x")
    assert bad.status_code == 422
    api.ok(cast.leo, event_id, "decide_route", route="joint", note="市场监管牵头，综合执法配合")
    e = event(event_id)
    assert (e.route, e.route_note, e.leader_id) == ("joint", "市场监管牵头，综合执法配合", cast.leo.pk)
    # The dispatch must follow the decision: one platform's office alone is not joint handling.
    wrong = api.act(world.oscar, event_id, "dispatch", lead_unit_id=platforms["market"].pk)
    assert wrong.status_code == 409 and wrong.json()["code"] == "route_mismatch"
    api.ok(
        world.oscar,
        event_id,
        "dispatch",
        lead_unit_id=platforms["market"].pk,
        assist_unit_ids=[platforms["squad"].pk],
    )
    e = event(event_id)
    assert e.status == Status.DISPATCHED and e.route == "joint" and e.joint
    history = api.detail(world.oscar, event_id)["history"]
    assert [h["action"] for h in history][-3:] == ["refer_to_leaders", "decide_route", "dispatch"]


def test_one_platform_goes_to_its_office(api, world, platforms):
    event_id = registered(api, world)
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=platforms["market"].pk, route="platform")
    assert event(event_id).route == "platform"


def test_several_units_of_one_platform_are_coordinated_by_its_office(api, world, platforms):
    event_id = registered(api, world)
    # The member unit cannot lead: the platform's office coordinates.
    wrong = api.act(
        world.oscar,
        event_id,
        "dispatch",
        lead_unit_id=platforms["food"].pk,
        assist_unit_ids=[platforms["market"].pk],
        route="platform_units",
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "route_mismatch"
    assert "日常管理办公室" in wrong.json()["message"]
    api.ok(
        world.oscar,
        event_id,
        "dispatch",
        lead_unit_id=platforms["market"].pk,
        assist_unit_ids=[platforms["food"].pk],
        route="platform_units",
    )
    assert event(event_id).route == "platform_units"


def test_beyond_the_township_the_escalation_records_the_district_route(api, world, cast):
    event_id = registered(api, world)
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk)
    api.ok(world.dora, event_id, "escalate", reason="涉及跨镇河道，超出本级权限")
    e = event(event_id)
    assert e.level == 4 and e.route == "district"


def test_another_app_adds_a_route_the_leaders_can_choose(api, world, cast):
    register_route(Route("elsewhere", "转其他渠道", "escalate"))
    try:
        event_id = registered(api, world)
        api.ok(world.oscar, event_id, "refer_to_leaders", note="重大")
        api.ok(cast.leo, event_id, "decide_route", route="elsewhere", note="转出")
        assert event(event_id).route == "elsewhere"
    finally:
        ROUTES.pop("elsewhere")


def test_a_reporter_who_declines_contact_lets_the_event_close_and_the_public_sees_it(api, world, cast):
    event_id = citizen_call(world, mode=Mode.DIRECT)
    api.ok(world.oscar, event_id, "settle", note="已答复")
    incomplete = api.act(world.oscar, event_id, "inform_reporter")
    assert incomplete.status_code == 422 and "反馈方式" in incomplete.json()["message"]
    api.ok(world.oscar, event_id, "inform_reporter", declined=True, note="来电人表示无需回访")
    api.ok(world.oscar, event_id, "inform_reporter", note="又短信告知了办理结果")  # a further telling
    api.ok(cast.sam, event_id, "close")
    assert event(event_id).status == Status.CLOSED
    assert api.detail(cast.sam, event_id)["feedback"]["reporter_declined"] is True
    del mail.outbox[:]


def test_the_telling_recorded_by_the_operator_reaches_the_open311_timeline(api, world, cast):
    event_id = citizen_call(world, mode=Mode.DIRECT)
    api.ok(world.oscar, event_id, "settle", note="已答复")
    api.ok(world.oscar, event_id, "inform_reporter", note="电话告知办理结果")
    api.ok(cast.sam, event_id, "close")
    notes = [u.description for u in request_timeline(event(event_id)).steps]
    assert "办理结果已反馈反映人" in notes and "指挥室已直接答复办理" in notes
