"""挂起: a unit asks, the shift lead approves or rejects, the clock stands still while suspended and every deadline
moves out by exactly the paused working time on resume. Through the services, the timer, the API and the page."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError
from grassroots.events import services as s
from grassroots.events.choices import Source, Status, SuspensionKind, SuspensionStatus
from grassroots.events.models import Assignment, Event, EventType, Suspension, Transition
from grassroots.events.services.timers import timers_tick
from grassroots.notifications.models import Notification
from grassroots.workcal.calendar import SHANGHAI, get_calendar
from grassroots.workcal.choices import LimitUnit

from .api_support import Api, Cast, cast_of

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a working Monday the calendar knows
HOUR = dt.timedelta(hours=1)


class Now:
    at = MONDAY


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> type[Now]:
    """Every service reads this time; tests move it on."""
    Now.at = MONDAY
    monkeypatch.setattr(timezone, "now", lambda: Now.at)
    return Now


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


def fresh(event: Event) -> Event:
    return Event.objects.select_related("event_type").get(pk=event.pk)


def signed(world: Any) -> Event:
    """Alice's report (not fixable on the spot), registered, dispatched to Dora's agency and signed by Dora."""
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边私搭简易棚",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=fresh(event), lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=fresh(event))
    return fresh(event)


def suspended(world: Any, cast: Cast) -> tuple[Event, Suspension]:
    event = signed(world)
    request = s.event_request_suspension(
        actor=world.dora, event=event, kind=SuspensionKind.TESTING, reason="等待水质检测报告"
    )
    Now.at += HOUR  # Monday 10:00
    s.event_decide_suspension(actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True)
    return fresh(event), Suspension.objects.get(pk=request.pk)


def code_of(call: Any) -> tuple[int, str]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.status, caught.value.code


def history(event: Event) -> list[tuple[str, str, str]]:
    rows = Transition.objects.filter(event=event).order_by("seq")
    return [(t.action, t.from_status, t.to_status) for t in rows]


# -- the round trip -----------------------------------------------------------------------------------------


def test_resuming_moves_every_deadline_out_by_exactly_the_paused_working_time(world, cast):
    event = signed(world)
    deadline, warn_at, due_at = event.deadline, event.warn_at, event.due_at
    assert deadline is not None and warn_at is not None and due_at is not None
    assignment = Assignment.objects.get(event=event)
    request = s.event_request_suspension(
        actor=world.dora, event=event, kind=SuspensionKind.TESTING, reason="等待水质检测报告"
    )
    assert fresh(event).deadline == deadline  # the clock runs until the lead approves

    Now.at = MONDAY + HOUR  # Monday 10:00
    s.event_decide_suspension(actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True)
    paused = fresh(event)
    assert paused.status == Status.SUSPENDED
    assert (paused.deadline, paused.warn_at) == (None, None)
    row = Suspension.objects.get(pk=request.pk)
    assert (row.status, row.started_at, row.from_status) == (SuspensionStatus.ACTIVE, Now.at, Status.SIGNED)
    assert row.paused_deadline == deadline

    Now.at = MONDAY + dt.timedelta(days=1, hours=1)  # Tuesday 10:00: one working day (7.5 h) later
    s.event_resume(actor=world.dora, event=paused, note="检测报告已出")

    event = fresh(event)
    one_day = 75 * 360
    calendar = get_calendar()
    assert event.status == Status.SIGNED
    assert event.deadline == calendar.add_working_seconds(deadline, one_day)
    assert event.deadline == calendar.add(deadline, 1, unit=LimitUnit.WORKING_DAYS)
    assert event.warn_at == calendar.add_working_seconds(warn_at, one_day)
    assert event.due_at == calendar.add_working_seconds(due_at, one_day)
    assignment.refresh_from_db()
    assert assignment.deadline == event.deadline and assignment.warn_at == event.warn_at
    row.refresh_from_db()
    assert (row.status, row.ended_at, row.resumed_by, row.paused_seconds) == (
        SuspensionStatus.ENDED,
        Now.at,
        world.dora,
        one_day,
    )
    assert history(event)[-3:] == [
        ("request_suspension", "signed", "signed"),
        ("decide_suspension", "signed", "suspended"),
        ("resume", "suspended", "signed"),
    ]
    audited = AuditEntry.objects.filter(object_id=str(event.pk), action__startswith="event.")
    assert {"event.request_suspension", "event.decide_suspension", "event.resume"} <= set(
        audited.values_list("action", flat=True)
    )


def test_the_shift_lead_may_lift_a_suspension_and_a_handling_event_returns_to_handling(world, cast):
    event = signed(world)
    s.event_handle(actor=world.dora, event=event)
    request = s.event_request_suspension(
        actor=world.dora, event=fresh(event), kind=SuspensionKind.PARTY, reason="当事人外出"
    )
    s.event_decide_suspension(actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True)
    Now.at += 2 * HOUR
    s.event_resume(actor=cast.sam, event=fresh(event), note="解除挂起")
    assert fresh(event).status == Status.HANDLING


def test_a_rejected_suspension_leaves_the_state_and_the_clock_alone_and_tells_the_unit(
    world, cast, django_capture_on_commit_callbacks
):
    event = signed(world)
    deadline = event.deadline
    request = s.event_request_suspension(
        actor=world.dora, event=event, kind=SuspensionKind.OTHER, reason="人手不足"
    )
    with django_capture_on_commit_callbacks(execute=True):
        s.event_decide_suspension(
            actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=False, note="理由不充分"
        )
    event = fresh(event)
    assert (event.status, event.deadline) == (Status.SIGNED, deadline)
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (SuspensionStatus.REJECTED, "理由不充分")
    assert history(event)[-1] == ("decide_suspension", "signed", "signed")
    assert Notification.objects.filter(recipient=world.dora, verb="suspension_decided").exists()
    # Rejected, the unit may ask again.
    s.event_request_suspension(actor=world.dora, event=event, kind=SuspensionKind.OTHER, reason="再次申请")


# -- the timer ----------------------------------------------------------------------------------------------


def test_the_timer_neither_warns_nor_flags_a_suspended_event_and_warns_again_after_the_resume(world, cast):
    event, row = suspended(world, cast)
    assert row.paused_deadline is not None and row.paused_warn_at is not None
    late = row.paused_deadline + dt.timedelta(days=3)

    result = timers_tick(now=late)

    assert result.acted == 0
    event = fresh(event)
    assert (event.status, event.warned, event.overdue) == (Status.SUSPENDED, False, False)

    Now.at = late
    s.event_resume(actor=world.dora, event=event)
    event = fresh(event)
    assert event.warn_at is not None and event.warn_at > late  # three days of pause pushed it out
    assert timers_tick(now=event.warn_at - dt.timedelta(seconds=1)).warned == 0
    assert timers_tick(now=event.warn_at).warned == 1


def test_a_warning_given_before_the_suspension_stands_after_it_and_is_not_given_twice(world, cast):
    """80% of the limit was used before the pause; the pause adds nothing to what is used."""
    event = signed(world)
    assert event.warn_at is not None
    timers_tick(now=event.warn_at)
    Now.at = event.warn_at
    request = s.event_request_suspension(
        actor=world.dora, event=fresh(event), kind=SuspensionKind.FORCE_MAJEURE, reason="台风"
    )
    s.event_decide_suspension(actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True)
    Now.at += dt.timedelta(days=2)
    s.event_resume(actor=world.dora, event=fresh(event))
    event = fresh(event)
    assert event.warned and event.deadline is not None and event.deadline > Now.at
    assert timers_tick(now=Now.at).acted == 0
    assert Transition.objects.filter(event=event, action="warn").count() == 1


# -- guards -------------------------------------------------------------------------------------------------


def test_each_refusal_has_its_code_and_changes_nothing(world, cast):
    event = signed(world)
    request = s.event_request_suspension(
        actor=world.dora, event=event, kind=SuspensionKind.TESTING, reason="等待鉴定"
    )
    version = fresh(event).version

    def ask(**kwargs: Any) -> Any:
        fields = {"kind": SuspensionKind.TESTING, "reason": "再等等", **kwargs}
        return lambda: s.event_request_suspension(actor=world.dora, event=fresh(event), **fields)

    assert code_of(ask()) == (409, "suspension_pending")

    def resume() -> Any:
        return s.event_resume(actor=world.dora, event=fresh(event))

    assert code_of(resume) == (409, "invalid_transition")  # the table: nothing to resume
    assert code_of(
        lambda: s.event_decide_suspension(
            actor=world.oscar, event=fresh(event), suspension_id=request.pk, approve=True
        )
    ) == (403, "not_permitted")
    assert code_of(
        lambda: s.event_decide_suspension(
            actor=cast.sam, event=fresh(event), suspension_id=10**9, approve=True
        )
    ) == (404, "no_suspension_request")
    assert code_of(
        lambda: s.event_request_suspension(actor=cast.eve, event=fresh(event), kind="testing", reason="x")
    ) == (403, "not_permitted")
    assert fresh(event).version == version

    s.event_decide_suspension(actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True)
    assert code_of(
        lambda: s.event_decide_suspension(
            actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=False
        )
    ) == (409, "invalid_transition")  # the table: nothing to decide on a suspended event
    assert code_of(ask()) == (409, "invalid_transition")  # the table: not twice
    assert code_of(lambda: s.event_feed_back(actor=world.dora, event=fresh(event), feedback="已完成")) == (
        409,
        "invalid_transition",
    )
    s.event_resume(actor=world.dora, event=fresh(event))
    assert code_of(
        lambda: s.event_decide_suspension(
            actor=cast.sam, event=fresh(event), suspension_id=request.pk, approve=True
        )
    ) == (409, "suspension_decided")
    assert code_of(ask(kind="mood")) == (422, "invalid_input")
    assert code_of(ask(reason=" ")) == (422, "invalid_input")


def test_an_event_fed_back_can_no_longer_be_suspended(world):
    event = signed(world)
    s.event_feed_back(actor=world.dora, event=event, feedback="已拆除")
    status, code = code_of(
        lambda: s.event_request_suspension(actor=world.dora, event=fresh(event), kind="testing", reason="x")
    )
    assert (status, code) == (409, "invalid_transition")


# -- API ----------------------------------------------------------------------------------------------------


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


def test_the_api_round_trip_with_its_refusals(api, world, cast):
    event = signed(world)
    detail = api.ok(world.dora, event.pk, "request_suspension", kind="party", reason="当事人住院")
    suspension_id = detail["suspensions"][0]["id"]
    assert detail["suspensions"][0]["status"] == "pending"
    assert "decide_suspension" not in api.detail(world.oscar, event.pk)["allowed_actions"]

    refused = api.act(world.oscar, event.pk, "decide_suspension", suspension_id=suspension_id, approve=True)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_permitted")
    again = api.act(world.dora, event.pk, "request_suspension", kind="party", reason="再次")
    assert (again.status_code, again.json()["code"]) == (409, "suspension_pending")
    bad = api.act(world.dora, event.pk, "request_suspension", kind="mood", reason="x")
    assert bad.status_code == 422

    detail = api.ok(cast.sam, event.pk, "decide_suspension", suspension_id=suspension_id, approve=True)
    assert (detail["status"], detail["deadline"]) == ("suspended", None)
    assert detail["suspensions"][0]["status"] == "active"
    assert "resume" in detail["allowed_actions"]

    Now.at += 2 * HOUR
    detail = api.ok(world.dora, event.pk, "resume", note="已恢复")
    assert detail["status"] == "signed"
    assert detail["suspensions"][0]["paused_seconds"] == 2 * 3600
    assert event.deadline is not None
    moved = get_calendar().add_working_seconds(event.deadline, 2 * 3600)
    assert dt.datetime.fromisoformat(detail["deadline"]) == moved
    stale = api.act(world.dora, event.pk, "resume")
    assert (stale.status_code, stale.json()["code"]) == (409, "invalid_transition")


# -- the event page -----------------------------------------------------------------------------------------


def test_the_event_page_shows_the_request_lets_the_lead_approve_and_then_shows_the_suspension(world, cast):
    event = signed(world)
    request = s.event_request_suspension(
        actor=world.dora, event=event, kind=SuspensionKind.TESTING, reason="等待水质检测报告"
    )
    client = world.client_for(cast.sam)
    page = client.get(f"/command/events/{event.pk}/")
    forms = [f.action for f in page.context["forms"]]
    assert "decide_suspension" in forms
    html = page.content.decode()
    assert "等待检验鉴定" in html and "等待水质检测报告" in html and "待审批" in html

    response = client.post(
        f"/command/events/{event.pk}/act/decide_suspension/",
        {"version": fresh(event).version, "suspension": request.pk, "approve": "1", "note": "同意"},
    )
    assert response.status_code == 302
    html = client.get(f"/command/events/{event.pk}/").content.decode()
    assert fresh(event).status == Status.SUSPENDED
    assert "已挂起" in html and "计时暂停" in html and "挂起中" in html

    unit_page = world.client_for(world.dora).get(f"/command/events/{event.pk}/")
    assert [f.action for f in unit_page.context["forms"]] == ["resume"]

    desk = world.client_for(world.dora).get("/command/desk/", {"tab": "in_hand"})
    row = next(r for r in desk.context["rows"] if r["event"].pk == event.pk)
    assert (row["light"], row["remaining_text"]) == (None, "")  # the clock stands still
