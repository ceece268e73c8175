"""Every path of the loop table, taken through the HTTP API, checked by the history it leaves behind."""

import datetime as dt
from typing import Any

import pytest

from grassroots.events.choices import AssignmentStatus, Status
from grassroots.events.models import Assignment, SupervisionOrder
from grassroots.notifications.models import Notification
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit

from .api_support import IN_GRID_A, PNG, Api, Cast, cast_of, event, png, steps
from .media_support import as_stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


def registered(api: Api, world: Any) -> int:
    """A grid worker's patrol report of a non-self-fixable problem, registered by the command room."""
    event_id = api.reported(world.alice)
    api.ok(world.oscar, event_id, "register")
    return event_id


def in_hand(api: Api, world: Any, *, lead: int, signers: tuple[Any, ...] = ()) -> int:
    """Registered, dispatched to `lead`, and signed for by `signers`."""
    event_id = registered(api, world)
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=lead)
    for person in signers:
        api.ok(person, event_id, "sign")
    return event_id


REPORT = ("report", "", "reported")
REGISTER = ("register", "reported", "registered")
DISPATCH = ("dispatch", "registered", "dispatched")
SIGN = ("sign", "dispatched", "signed")


def test_grid_worker_fixes_a_small_problem_on_the_spot_with_a_photo(api, world, cast):
    event_id = api.reported(world.alice, event_type="ZF0101", title="路边暴露垃圾", files=[png("前.png")])

    detail = api.ok(world.alice, event_id, "self_handle", note="已清理", files=[png("后.png")])
    assert detail["status"] == Status.SELF_HANDLED
    assert [(a["phase"], a["kind"]) for a in detail["attachments"]] == [
        ("report", "photo"),
        ("after", "photo"),
    ]
    api.ok(cast.sam, event_id, "close", note="自行处置完毕")

    detail = api.detail(world.oscar, event_id)
    assert steps(detail) == [
        REPORT,
        ("self_handle", "reported", "self_handled"),
        ("close", "self_handled", "closed"),
    ]
    download = api.client(world.oscar).get(detail["attachments"][1]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == as_stored(PNG)


def test_a_phone_report_is_verified_on_site_then_voided(api, world, cast):
    event_id = api.reported(world.oscar, source="phone", reporter_name="刘德华", reporter_phone="13912345678")

    api.ok(world.oscar, event_id, "verify", verifier_id=world.alice.pk)
    api.ok(world.alice, event_id, "verify", valid=True, note="现场属实")
    detail = api.ok(world.oscar, event_id, "void", reason="不属于本平台受理范围")

    assert detail["status"] == Status.VOID
    assert steps(detail) == [
        REPORT,
        ("verify", "reported", "verifying"),
        ("verify", "verifying", "verified"),
        ("void", "verified", "void"),
    ]


def test_a_report_found_untrue_on_site_becomes_invalid(api, world, cast):
    event_id = api.reported(world.oscar, source="phone", reporter_name="刘德华", reporter_phone="13912345678")

    api.ok(world.oscar, event_id, "verify", verifier_id=world.alice.pk)
    detail = api.ok(world.alice, event_id, "verify", valid=False, note="现场无此情况")

    assert steps(detail) == [REPORT, ("verify", "reported", "verifying"), ("verify", "verifying", "invalid")]
    assert detail["light"] is None  # no clock runs on a settled report


def test_a_unit_returns_a_wrong_dispatch_and_the_command_room_dispatches_again(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk)

    api.ok(world.dora, event_id, "return", reason="不属于市场监管职责")
    api.ok(world.oscar, event_id, "dispatch", lead_unit_id=cast.squad.pk)
    detail = api.ok(cast.eve, event_id, "sign")

    assert steps(detail) == [
        REPORT,
        REGISTER,
        DISPATCH,
        ("return", "dispatched", "registered"),
        DISPATCH,
        SIGN,
    ]
    assert detail["return_count"] == 1
    # Accurate dispatch counts the first assignment as returned, the second as the right one.
    assert [(a["unit"]["id"], a["status"]) for a in detail["assignments"]] == [
        (world.agency.pk, AssignmentStatus.RETURNED),
        (cast.squad.pk, AssignmentStatus.SIGNED),
    ]
    assert detail["holder_unit"]["id"] == cast.squad.pk


def test_a_failed_check_sends_the_work_back_for_a_second_round_that_passes(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))
    api.ok(world.dora, event_id, "feed_back", feedback="已整改", files=[png()])

    detail = api.ok(world.oscar, event_id, "check", passed=False, note="棚架仍在")
    assert (detail["status"], detail["rework_count"]) == (Status.DISPATCHED, 1)
    api.ok(world.dora, event_id, "sign")
    api.ok(world.dora, event_id, "feed_back", feedback="已全部拆除")
    detail = api.ok(world.oscar, event_id, "check", passed=True, files=[png()])

    assert steps(detail)[2:] == [
        DISPATCH,
        SIGN,
        ("feed_back", "signed", "fed_back"),
        ("check", "fed_back", "dispatched"),
        SIGN,
        ("feed_back", "signed", "fed_back"),
        ("check", "fed_back", "checked"),
    ]
    assert [(a["round"], a["status"]) for a in detail["assignments"]] == [
        (1, AssignmentStatus.FED_BACK),
        (2, AssignmentStatus.DONE),
    ]


def test_a_second_failed_check_escalates_the_event_to_the_district(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))
    api.ok(world.dora, event_id, "feed_back", feedback="已整改")
    api.ok(world.oscar, event_id, "check", passed=False, note="未整改到位")
    api.ok(world.dora, event_id, "sign")
    api.ok(world.dora, event_id, "feed_back", feedback="再次整改")

    detail = api.ok(world.oscar, event_id, "check", passed=False, note="仍未整改")

    assert steps(detail)[-1] == ("check", "fed_back", "registered")
    assert (detail["level"], detail["rework_count"], detail["holder_unit"]["id"]) == (4, 2, cast.centre.pk)
    assert "dispatch" in api.detail(cast.cora, event_id)["allowed_actions"]


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_an_approved_extension_moves_the_deadline_by_exactly_the_working_days_granted(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))
    before = api.detail(world.dora, event_id)["assignments"][0]["deadline"]

    detail = api.ok(world.dora, event_id, "request_extension", days="2", reason="需协调住建部门")
    request_id = detail["extension_requests"][0]["id"]
    assert "decide_extension" not in api.detail(world.oscar, event_id)["allowed_actions"]  # operators may not
    detail = api.ok(cast.sam, event_id, "decide_extension", request_id=request_id, approve=True, note="同意")

    expected = get_calendar().add(_moment(before), 2, unit=LimitUnit.WORKING_DAYS)
    assert _moment(detail["assignments"][0]["deadline"]) == expected
    assert _moment(detail["deadline"]) == expected
    assert detail["extended"] is True
    assert detail["extension_requests"][0]["status"] == "approved"
    assert [s[0] for s in steps(detail)[-2:]] == ["request_extension", "decide_extension"]
    assert steps(detail)[-1] == ("decide_extension", "signed", "signed")


def test_a_rejected_extension_leaves_the_deadline_alone(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))
    before = api.detail(world.dora, event_id)["deadline"]

    detail = api.ok(world.dora, event_id, "request_extension", days=3, reason="人手不足")
    detail = api.ok(
        cast.sam,
        event_id,
        "decide_extension",
        request_id=detail["extension_requests"][0]["id"],
        approve=False,
    )

    assert detail["deadline"] == before
    assert detail["extended"] is False
    assert detail["extension_requests"][0]["status"] == "rejected"


def test_joint_handling_is_fed_back_only_when_lead_and_assisting_unit_both_have(api, world, cast):
    event_id = registered(api, world)
    # As a form this time: a list field arrives as repeated keys.
    api.ok(
        world.oscar,
        event_id,
        "dispatch",
        lead_unit_id=world.agency.pk,
        assist_unit_ids=[cast.squad.pk],
        files=[],
    )

    assert api.ok(world.dora, event_id, "sign")["status"] == Status.DISPATCHED
    assert api.ok(cast.eve, event_id, "sign")["status"] == Status.SIGNED
    assert api.ok(world.dora, event_id, "feed_back", feedback="主办已处置")["status"] == Status.SIGNED
    detail = api.ok(cast.eve, event_id, "feed_back", feedback="协办已配合")

    assert detail["status"] == Status.FED_BACK
    assert detail["joint"] is True
    assert steps(detail)[3:] == [
        ("sign", "dispatched", "dispatched"),
        SIGN,
        ("feed_back", "signed", "signed"),
        ("feed_back", "signed", "fed_back"),
    ]
    assert {(a["role"], a["status"]) for a in detail["assignments"]} == {
        ("lead", "fed_back"),
        ("assist", "fed_back"),
    }


def test_the_holder_escalates_to_the_district_and_the_centre_sends_it_back_down(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))

    detail = api.ok(world.dora, event_id, "escalate", reason="涉及跨镇协调，超出本级权限")
    assert (detail["level"], detail["holder_unit"]["id"]) == (4, cast.centre.pk)
    assert api.act(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk).status_code == 403
    detail = api.ok(cast.cora, event_id, "escalate", reason="由属地乡镇处置", direction="down")

    assert (detail["level"], detail["holder_unit"]["id"]) == (3, world.command_room.pk)
    assert [(a, f, t, row["level"]) for (a, f, t), row in zip(steps(detail), detail["history"], strict=True)][
        -2:
    ] == [("escalate", "signed", "registered", 4), ("escalate", "registered", "registered", 3)]
    assert detail["escalation_count"] == 1


def test_a_supervision_order_gets_its_deadline_and_is_resolved_by_the_feedback(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk)

    detail = api.ok(
        cast.leo, event_id, "supervise", kind="supervise", reason="leader", days=2, note="请尽快办结"
    )
    order = SupervisionOrder.objects.get(event_id=event_id)
    assert order.deadline == get_calendar().add(order.issued_at, 2, unit=LimitUnit.WORKING_DAYS)
    assert order.unit_id == world.agency.pk
    assert detail["supervision_orders"][0]["resolved_at"] is None
    assert detail["leader_flagged"] is True
    assert steps(detail)[-1] == ("supervise", "dispatched", "dispatched")

    api.ok(world.dora, event_id, "sign")
    detail = api.ok(world.dora, event_id, "feed_back", feedback="已处置")

    assert detail["supervision_orders"][0]["resolved_at"] is not None


def test_a_closed_event_can_be_reopened_and_the_reopening_is_counted(api, world, cast):
    event_id = in_hand(api, world, lead=world.agency.pk, signers=(world.dora,))
    api.ok(world.dora, event_id, "handle", note="已到现场")
    api.ok(world.dora, event_id, "feed_back", feedback="已拆除")
    api.ok(world.oscar, event_id, "check", passed=True)
    api.ok(world.oscar, event_id, "callback", satisfaction=4)
    api.ok(cast.sam, event_id, "close")

    detail = api.ok(cast.sam, event_id, "reopen", reason="群众反映问题反弹")

    assert steps(detail) == [
        REPORT,
        REGISTER,
        DISPATCH,
        SIGN,
        ("handle", "signed", "handling"),
        ("feed_back", "handling", "fed_back"),
        ("check", "fed_back", "checked"),
        ("callback", "checked", "evaluated"),
        ("close", "evaluated", "closed"),
        ("reopen", "closed", "registered"),
    ]
    assert (detail["reopen_count"], detail["satisfaction"], detail["closed_at"]) == (1, None, None)
    assert [row["seq"] for row in detail["history"]] == list(range(1, detail["version"] + 1))


def test_a_duplicate_is_offered_on_report_merged_and_both_reporters_hear_of_the_close(
    api, world, cast, django_capture_on_commit_callbacks
):
    first = api.reported(world.alice)
    response = api.report(world.bob, source="village", title="村口有人搭棚", **IN_GRID_A)
    assert response.status_code == 201
    second = response.json()["event"]["id"]
    assert [d["id"] for d in response.json()["possible_duplicates"]] == [first]

    detail = api.ok(world.oscar, second, "merge", into_id=first)
    assert steps(detail) == [REPORT, ("merge", "reported", "merged")]
    assert detail["merged_into"]["id"] == first
    assert [e["id"] for e in api.detail(world.oscar, first)["merged_events"]] == [second]

    api.ok(world.oscar, first, "register")
    api.ok(world.oscar, first, "dispatch", lead_unit_id=cast.squad.pk)
    api.ok(cast.eve, first, "sign")
    api.ok(cast.eve, first, "feed_back", feedback="已拆除")
    api.ok(world.oscar, first, "check", passed=True)
    api.ok(world.oscar, first, "callback", satisfaction=5)
    with django_capture_on_commit_callbacks(execute=True):
        api.ok(cast.sam, first, "close", note="违建已拆除")

    told = set(
        Notification.objects.filter(event_id=first, verb="closed").values_list("recipient_id", flat=True)
    )
    assert {world.alice.pk, world.bob.pk} <= told
    assert event(second).status == Status.MERGED
    assert Assignment.objects.filter(event_id=second).count() == 0
