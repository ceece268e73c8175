"""The event page: scope (404 outside it), masking, the timeline, dispatch suggestions, each step as a form that
shows only when allowed, and each form's error path, which keeps what the person typed."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.events import services
from grassroots.events.choices import Source, Status
from grassroots.events.models import Assignment, Event, Transition
from grassroots.events.templatetags.event_pages import working_duration_text

from .api_support import cast_of
from .views_support import IN_GRID_B, htmx, lead_platform, page_text, png, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def url(event: Event) -> str:
    return f"/command/events/{event.pk}/"


def act(event: Event, action: str) -> str:
    return f"/command/events/{event.pk}/act/{action}/"


def forms_on(response: Any) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [form.action for form in response.context["forms"]]


def fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def dispatched(world: Any) -> Event:
    event = report(world.alice)
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return fresh(event)


# -- seeing the event -----------------------------------------------------------------------------------------


def test_the_command_room_sees_everything_about_an_event_on_one_page(world):
    event = report(world.alice, description="桥下搭了一个棚", files=[png()])
    services.event_register(actor=world.oscar, event=event, note="属实")
    response = world.client_for(world.oscar).get(url(event))
    html = page_text(response)
    assert str(event.number) in html and "桥下搭了一个棚" in html
    assert "立案" in html and "已上报 → 已立案" in html and "属实" in html
    assert f"/api/v1/events/{event.pk}/attachments/" in html and 'data-photo="' in html
    assert world.grid_a.name in html and 'id="event-map-data"' in html
    assert response.context["map_data"]["grid"] == world.grid_a.boundary
    assert response.context["reporter"]["name"] == "王丽丽"  # the operator calls reporters back


def test_the_handling_unit_sees_the_reporter_masked(world):
    event = dispatched(world)
    response = world.client_for(world.dora).get(url(event))
    assert response.context["reporter"] == {
        "name": "王*丽",
        "phone": "138****5678",
        "email": "",
        "anonymous": False,
        "masked": True,
    }
    assert "王丽丽" not in page_text(response)  # nor as the actor of the report in the timeline


def test_an_event_outside_the_viewers_scope_is_404(world):
    event = report(world.alice)
    assert world.client_for(world.carol).get(url(event)).status_code == 404
    assert world.client_for(world.dora).get(url(event)).status_code == 404  # not (yet) her unit's
    assert world.client_for(world.carol).post(act(event, "register")).status_code == 404
    assert world.client_for(world.oscar).get("/command/events/999999/").status_code == 404


def test_the_timeline_shows_working_time_between_steps_in_days_and_hours():
    assert working_duration_text(0) == "—"
    assert working_duration_text(59) == "不足1分"
    assert working_duration_text(40 * 60) == "40分"
    assert working_duration_text(3 * 3600 + 15 * 60) == "3小时15分"
    assert working_duration_text(2 * 3600) == "2小时"
    assert working_duration_text(27000 + 2 * 3600) == "1天2小时"  # a working day is 7.5 hours
    assert working_duration_text(2 * 27000) == "2天"


def test_the_timeline_labels_each_step_with_its_actor_and_unit(world):
    event = dispatched(world)
    Transition.objects.filter(event=event, action="dispatch").update(elapsed_seconds=27000 + 7200)
    response = world.client_for(world.oscar).get(url(event))
    rows = response.context["timeline"]
    assert [r["label"] for r in rows] == ["派遣", "立案", "上报"]  # newest first
    assert rows[0]["actor"] == "陈志强" and rows[0]["unit"] == world.agency.name
    assert "1天2小时" in page_text(response)


# -- which steps are offered ----------------------------------------------------------------------------------


def test_only_the_steps_the_table_allows_are_offered(world):
    event = report(world.alice)
    assert forms_on(world.client_for(world.oscar).get(url(event))) == [
        "verify",
        "register",
        "void",
        "merge",
        "escalate",
        "supervise",
    ]
    # ZF0103 is not self-fixable, ZF0101 is.
    assert forms_on(world.client_for(world.alice).get(url(event))) == ["escalate"]
    fixable = report(world.alice, code="ZF0101")
    assert forms_on(world.client_for(world.alice).get(url(fixable))) == ["self_handle", "escalate"]
    leo = cast_of(world).leo
    assert forms_on(world.client_for(leo).get(url(event))) == ["supervise"]


def test_the_handling_unit_is_offered_its_own_steps_in_order(world):
    event = dispatched(world)
    client = world.client_for(world.dora)
    assert forms_on(client.get(url(event))) == ["sign", "return", "request_extension", "escalate"]
    services.event_sign(actor=world.dora, event=fresh(event))
    assert forms_on(client.get(url(event))) == [
        "handle",
        "feed_back",
        "return",
        "request_extension",
        "request_suspension",
        "escalate",
    ]
    html = page_text(client.get(url(event)))
    assert 'id="action-feed_back"' in html and 'enctype="multipart/form-data"' in html


def test_dispatch_suggests_the_default_unit_the_grids_history_and_the_platform_lead(world):
    cast = cast_of(world)  # the enforcement squad is ZF0103's default unit (code suffix ZFZD)
    lead_platform(world, world.agency)
    earlier = dispatched(world)  # the agency led a ZF0103 in grid A before
    assert earlier.holder_unit_id == world.agency.pk
    event = report(world.alice)
    services.event_register(actor=world.oscar, event=event)
    response = world.client_for(world.oscar).get(url(event))
    dispatch = next(f for f in response.context["forms"] if f.action == "dispatch")
    assert [(s.unit.name, s.reasons) for s in dispatch.suggestions] == [
        (cast.squad.name, ["分类默认处置单位"]),
        (world.agency.name, ["本网格同类事件办理 1 件", "综合执法平台牵头单位"]),
    ]
    html = page_text(response)
    assert 'id="dispatch-lead-unit"' in html and f'id="suggest-unit-{world.agency.pk}"' in html
    assert "指挥室" not in str(dispatch.fields["lead_unit"].choices)  # a command room is not a handler


# -- taking steps ---------------------------------------------------------------------------------------------


def test_register_then_dispatch_without_javascript(world):
    event = report(world.alice)
    client = world.client_for(world.oscar)
    response = client.post(
        act(event, "register"), {"version": event.version, "note": "属实", "mode": "assigned"}
    )
    assert response.status_code == 302 and response.url == url(event)
    assert fresh(event).status == Status.REGISTERED
    response = client.post(
        act(event, "dispatch"),
        {"version": fresh(event).version, "lead_unit": world.agency.pk, "mode": "assigned", "note": "请核处"},
    )
    assert response.status_code == 302
    event = fresh(event)
    assert (event.status, event.holder_unit_id) == (Status.DISPATCHED, world.agency.pk)


def test_a_step_through_htmx_swaps_the_action_panel_and_the_timeline(world):
    event = report(world.alice)
    response = world.client_for(world.oscar).post(
        act(event, "register"), {"version": event.version}, headers=htmx("action-panel")
    )
    html = page_text(response)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="action-panel"')
    assert 'id="timeline" class="panel" hx-swap-oob="true"' in html
    assert f"已立案：{event.number}" in html and 'id="action-dispatch"' in html


def test_joint_dispatch_creates_a_lead_and_assisting_assignment(world):
    cast = cast_of(world)
    squad, leo = cast.squad, cast.leo
    event = report(world.alice)
    services.event_register(actor=world.oscar, event=event)
    world.client_for(world.oscar).post(
        act(event, "dispatch"),
        {
            "version": fresh(event).version,
            "lead_unit": world.agency.pk,
            "assist_units": [squad.pk],
            "mode": "supervised",
            "leader": leo.pk,  # 督办 is owned by a leader
        },
    )
    roles = set(Assignment.objects.filter(event=event).values_list("unit_id", "role"))
    assert roles == {(world.agency.pk, "lead"), (squad.pk, "assist")}
    assert fresh(event).joint and fresh(event).mode == "supervised"


def test_a_step_on_an_event_someone_else_just_moved_is_refused(world):
    event = report(world.alice)
    stale = event.version
    services.event_register(actor=world.oscar, event=event)
    response = world.client_for(world.oscar).post(act(event, "void"), {"version": stale, "reason": "重复"})
    assert response.status_code == 422
    assert fresh(event).status == Status.REGISTERED
    assert "事件已被他人处理或已变化" in page_text(response)


def test_an_unknown_step_is_404_and_steps_are_posted(world):
    event = report(world.alice)
    client = world.client_for(world.oscar)
    assert client.post(act(event, "explode")).status_code == 404
    assert client.get(act(event, "register")).status_code == 405


def test_the_unit_signs_handles_and_feeds_back_with_a_photo(world):
    event = dispatched(world)
    client = world.client_for(world.dora)
    client.post(act(event, "sign"), {"version": event.version})
    client.post(act(event, "handle"), {"version": fresh(event).version})
    response = client.post(
        act(event, "feed_back"),
        {"version": fresh(event).version, "feedback": "已拆除", "photos": [png("after.png")]},
    )
    assert response.status_code == 302
    event = fresh(event)
    assert event.status == Status.FED_BACK and event.attachments.get().phase == "feedback"


def test_the_command_room_checks_calls_back_and_the_shift_lead_closes(world):
    cast = cast_of(world)
    event = dispatched(world)
    for step in ("sign", "handle"):
        getattr(services, f"event_{step}")(actor=world.dora, event=fresh(event))
    services.event_feed_back(actor=world.dora, event=fresh(event), feedback="已拆除")
    oscar = world.client_for(world.oscar)
    oscar.post(act(event, "check"), {"version": fresh(event).version, "passed": "1", "note": "到位"})
    assert fresh(event).status == Status.CHECKED
    oscar.post(act(event, "callback"), {"version": fresh(event).version, "reached": "1", "satisfaction": "5"})
    assert fresh(event).status == Status.EVALUATED
    assert "close" not in forms_on(oscar.get(url(event)))  # operators may not close
    world.client_for(cast.sam).post(act(event, "close"), {"version": fresh(event).version})
    assert fresh(event).status == Status.CLOSED


# -- error paths keep what was typed --------------------------------------------------------------------------


def failing(world: Any, person: Any, event: Event, action: str, data: dict[str, Any]) -> tuple[Any, str]:
    response = world.client_for(person).post(act(event, action), {"version": fresh(event).version, **data})
    assert response.status_code == 422, (action, response.status_code)
    return response, page_text(response)


def test_void_without_a_reason_says_so_next_to_the_field(world):
    event = report(world.alice)
    response, html = failing(world, world.oscar, event, "void", {"reason": "   "})
    assert response.context["forms"][2].errors == {"reason": ["请填写不予立案理由"]}
    assert '<details class="action"' not in html.split('id="action-void"')[0].rsplit("action-box-void", 1)[1]
    assert fresh(event).status == Status.REPORTED


def test_a_service_refusal_is_shown_on_the_form_and_keeps_the_note(world):
    sam = cast_of(world).sam
    event = report(world.oscar, source=Source.PHONE, reporter_phone="13900001111", **IN_GRID_B)
    services.event_verify(actor=world.oscar, event=event, verifier=world.alice)
    services.event_verify(actor=world.oscar, event=fresh(event), valid=True)
    services.event_register(actor=world.oscar, event=fresh(event))
    services.event_dispatch(actor=world.oscar, event=fresh(event), lead_unit_id=world.agency.pk)
    services.event_sign(actor=world.dora, event=fresh(event))
    services.event_feed_back(actor=world.dora, event=fresh(event), feedback="已处理")
    services.event_check(actor=world.oscar, event=fresh(event), passed=True)
    _, html = failing(world, sam, event, "close", {"note": "处置到位，予以结案"})
    assert "双反馈未完成" in html and "尚未反馈反映人" in html  # a citizen with a phone number is told first
    assert "处置到位，予以结案</textarea>" in html


def test_registering_an_unverified_phoned_report_is_not_offered(world):
    event = report(world.oscar, source=Source.PHONE, reporter_phone="13900001111", **IN_GRID_B)
    assert "register" not in forms_on(world.client_for(world.oscar).get(url(event)))
    _, html = failing(world, world.oscar, event, "register", {"note": "群众来电"})
    assert "该来源的事件须先现场核实，再立案" in html


def test_dispatch_errors_keep_the_chosen_units_and_the_note(world):
    squad = cast_of(world).squad
    event = report(world.alice)
    services.event_register(actor=world.oscar, event=event)
    data = {
        "lead_unit": world.agency.pk,
        "assist_units": [world.agency.pk],
        "mode": "assigned",
        "note": "尽快",
    }
    response, html = failing(world, world.oscar, event, "dispatch", data)
    form = next(f for f in response.context["forms"] if f.action == "dispatch")
    assert form.errors == {"assist_units": ["协办单位不能与主办单位相同"]}
    assert f'<option value="{world.agency.pk}" selected>' in html and "尽快</textarea>" in html
    _, html = failing(world, world.oscar, event, "dispatch", {"assist_units": [squad.pk], "note": "尽快"})
    assert "请选择主办单位" in html and f'<option value="{squad.pk}" selected>' in html


def test_unit_step_errors_keep_the_input(world):
    event = dispatched(world)
    _, html = failing(world, world.dora, event, "return", {"reason": ""})
    assert "请填写退回原因" in html
    _, html = failing(world, world.dora, event, "request_extension", {"days": "99", "reason": "材料未齐"})
    assert "最多 30 个工作日" in html and 'value="99"' in html and "材料未齐</textarea>" in html
    services.event_sign(actor=world.dora, event=fresh(event))
    _, html = failing(world, world.dora, event, "feed_back", {"feedback": ""})
    assert "请填写处置情况" in html
    gif = SimpleUploadedFile("fake.png", b"GIF89a not an accepted format", content_type="image/png")
    _, html = failing(world, world.dora, event, "feed_back", {"feedback": "已处理完毕", "photos": [gif]})
    assert "不是支持的照片" in html and "已处理完毕</textarea>" in html
    assert fresh(event).status == Status.SIGNED


def test_check_and_callback_errors_keep_the_input(world):
    event = dispatched(world)
    services.event_sign(actor=world.dora, event=fresh(event))
    services.event_feed_back(actor=world.dora, event=fresh(event), feedback="已拆除")
    _, html = failing(world, world.oscar, event, "check", {})
    assert "请指定核查人员，或直接填写核查结果" in html
    _, html = failing(world, world.oscar, event, "check", {"passed": "0"})
    assert "核查不通过须说明原因" in html and 'id="check-passed_1" checked' in html
    services.event_check(actor=world.oscar, event=fresh(event), passed=True)
    _, html = failing(world, world.oscar, event, "callback", {"reached": "1", "note": "电话已回访"})
    assert "请选择满意度" in html and "电话已回访</textarea>" in html


def test_merge_into_an_unknown_event_keeps_the_number_typed(world):
    event = report(world.alice)
    _, html = failing(
        world, world.oscar, event, "merge", {"into": "ZF0103-20990101-999999", "note": "同一处"}
    )
    assert "目标事件不存在或不在您的管辖范围内" in html and 'value="ZF0103-20990101-999999"' in html


def test_a_form_for_a_step_no_longer_allowed_shows_why_above_the_panel(world):
    event = report(world.alice)
    response = world.client_for(world.dora).post(act(event, "register"), {"version": event.version})
    assert response.status_code == 404  # not hers to see at all
    dispatched_event = dispatched(world)
    response, _ = failing(world, world.oscar, dispatched_event, "sign", {})
    assert "您无权对此事件执行“签收”" in response.context["stray_error"]
