"""What the loop's state machine (`test_loop_properties.py`) draws from: the simulated clock, the actions and
what they do to deadlines, a snapshot of everything a step may write, and each service's call with its input
drawn valid, or valid and invalid."""

import collections
import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import hypothesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import Phase
from hypothesis import strategies as st

from grassroots.demo.photos import sample_png
from grassroots.events import services as s
from grassroots.events.choices import (
    ExtensionStatus,
    Mode,
    Status,
    SupervisionKind,
    SupervisionReason,
    SuspensionKind,
    SuspensionStatus,
)
from grassroots.events.models import (
    Assignment,
    Attachment,
    Event,
    ExtensionRequest,
    SupervisionOrder,
    Suspension,
    Transition,
)
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

# A Monday morning in a year the official calendar knows; every step moves the clock on from here.
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
PNG = sample_png()
MAX_EVENTS = 3
KINDS = ["patrol", "self_fixable", "phone", "village"]  # what the machine reports (`LoopMachine._report`)
STATS: collections.Counter[tuple[str, str]] = collections.Counter()
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [] if os.environ.get("NO_SHRINK") else [Phase.shrink]
)
ACTIONS = [
    "verify",
    "register",
    "void",
    "merge",
    "dispatch",
    "sign",
    "handle",
    "return",
    "request_extension",
    "decide_extension",
    "request_suspension",
    "decide_suspension",
    "resume",
    "feed_back",
    "self_handle",
    "check",
    "callback",
    "close",
    "archive",
    "reopen",
    "escalate",
    "supervise",
]
# Steps that never move a deadline; `decide_extension` moves one only when it approves.
CLOCK_KEEPING = {
    "sign",
    "handle",
    "warn",
    "overdue",
    "supervise",
    "request_extension",
    "request_suspension",
    "archive",
}

UNIT_HANDLERS = {"agency", "agency2", "village"}
# The loop's main path (report → … → close); the other steps turn aside, go back or end the walk early.
FORWARD = {
    "verify",
    "register",
    "dispatch",
    "sign",
    "handle",
    "feed_back",
    "self_handle",
    "check",
    "callback",
    "close",
}


def note(outcome: str, what: str) -> None:
    """Counted for `--hypothesis-show-statistics` and for the coverage check at the end of the test."""
    hypothesis.event(outcome, what)
    STATS[(outcome, what)] += 1


class Clock:
    """The simulated time every service and the timer read (timezone.now is patched to it)."""

    now = START


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", PNG, content_type="image/png")


def snapshot() -> tuple[Any, ...]:
    """Everything a step may write."""
    return (
        list(Event.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Transition.objects.order_by("pk").values_list("pk", "event_id", "seq", "action")),
        list(ExtensionRequest.objects.order_by("pk").values()),
        list(SupervisionOrder.objects.order_by("pk").values()),
        list(Suspension.objects.order_by("pk").values()),
        Attachment.objects.count(),
    )


def service_call(
    action: str,
    event: Event,
    actor: Person,
    data: st.DataObject,
    *,
    valid: bool,
    people: dict[str, Person],
    units: dict[str, int],
    events: list[int],
) -> Any:
    """The service call for `action`, its arguments drawn from valid values only, or from any. `people` and
    `units` are the machine's cast by name, `events` the events it reported."""
    p = people

    def pick(good: Sequence[Any], bad: Sequence[Any] = ()) -> Any:
        return data.draw(st.sampled_from(good if valid or not bad else [*good, *bad]))

    if action == "verify":
        if event.status == Status.REPORTED:
            verifier, result = pick([p["alice"]], [None, p["carol"]]), pick([None], [True])
        else:
            verifier, result = None, pick([True, False], [None])
        return lambda: s.event_verify(actor=actor, event=event, verifier=verifier, valid=result)
    if action == "register":
        mode = pick(["", Mode.ASSIGNED, Mode.SUPERVISED])
        return lambda: s.event_register(actor=actor, event=event, mode=mode)
    if action == "void":
        reason = pick(["反映不属实"], [""])
        return lambda: s.event_void(actor=actor, event=event, reason=reason)
    if action == "merge":
        others = [pk for pk in events if pk != event.pk]
        into = Event.objects.get(pk=pick(others or [event.pk], [event.pk]))
        return lambda: s.event_merge(actor=actor, event=event, into=into)
    if action == "dispatch":
        lead = pick(["agency", "agency2", "village"], ["room", "centre", "missing"])
        assists = data.draw(
            st.lists(st.sampled_from(["agency", "agency2", "village", "room", "missing"]), max_size=2)
        )
        assists = [u for u in assists if u != lead and u in UNIT_HANDLERS] if valid else assists
        mode = pick([Mode.ASSIGNED, Mode.SUPERVISED], ["bogus"])
        return lambda: s.event_dispatch(
            actor=actor,
            event=event,
            lead_unit_id=units[lead],
            assist_unit_ids=[units[u] for u in dict.fromkeys(assists)]
            if valid
            else [units[u] for u in assists],
            mode=mode,
        )
    if action == "sign":
        return lambda: s.event_sign(actor=actor, event=event)
    if action == "handle":
        return lambda: s.event_handle(actor=actor, event=event)
    if action == "return":
        reason = pick(["不属于本单位职责"], [""])
        return lambda: s.event_return(actor=actor, event=event, reason=reason)
    if action == "request_extension":
        days = pick(["1", "2.5"], ["0.2", "40", "abc"])
        reason = pick(["需协调多个部门"], [""])
        return lambda: s.event_request_extension(actor=actor, event=event, days=days, reason=reason)
    if action == "decide_extension":
        pending = list(
            ExtensionRequest.objects.filter(event=event, status=ExtensionStatus.PENDING).values_list(
                "pk", flat=True
            )
        )
        request_id = pick(pending or [10**9], [10**9])
        approve = data.draw(st.booleans())
        return lambda: s.event_decide_extension(
            actor=actor, event=event, request_id=request_id, approve=approve
        )
    if action == "request_suspension":
        kind = pick(SuspensionKind.values, ["mood"])
        reason = pick(["等待检测报告"], [""])
        return lambda: s.event_request_suspension(actor=actor, event=event, kind=kind, reason=reason)
    if action == "decide_suspension":
        pending = list(
            Suspension.objects.filter(event=event, status=SuspensionStatus.PENDING).values_list(
                "pk", flat=True
            )
        )
        suspension_id = pick(pending or [10**9], [10**9])
        approve = data.draw(st.booleans())
        return lambda: s.event_decide_suspension(
            actor=actor, event=event, suspension_id=suspension_id, approve=approve
        )
    if action == "resume":
        return lambda: s.event_resume(actor=actor, event=event)
    if action == "feed_back":
        feedback = pick(["已整改完毕"], [""])
        return lambda: s.event_feed_back(actor=actor, event=event, feedback=feedback)
    if action == "self_handle":
        photos = pick([1], [0])
        return lambda: s.event_self_handle(
            actor=actor, event=event, note="当场处置", files=[png() for _ in range(photos)]
        )
    if action == "check":
        if event.status == Status.FED_BACK and data.draw(st.booleans()):
            checker, passed = pick([p["alice"]], [None]), None
        else:
            checker, passed = None, pick([True, False], [None])
        note_text = pick(["现场仍未整改"], [""])
        return lambda: s.event_check(actor=actor, event=event, checker=checker, passed=passed, note=note_text)
    if action == "callback":
        satisfaction = pick([1, 4, 5], [None, 7])
        reached = pick([True], [False])
        return lambda: s.event_callback(actor=actor, event=event, satisfaction=satisfaction, reached=reached)
    if action == "close":
        return lambda: s.event_close(actor=actor, event=event, note="办结")
    if action == "archive":
        return lambda: s.event_archive(actor=actor, event=event)
    if action == "reopen":
        reason = pick(["群众再次反映"], [""])
        return lambda: s.event_reopen(actor=actor, event=event, reason=reason)
    if action == "escalate":
        reason = pick(["超出本级处置权限"], [""])
        direction = pick(["down"] if event.level == 4 else ["up"], ["up", "sideways"])
        return lambda: s.event_escalate(actor=actor, event=event, reason=reason, direction=direction)
    if action == "supervise":
        kind = pick([SupervisionKind.SUPERVISE, SupervisionKind.URGE], ["nag"])
        reason = pick([SupervisionReason.LEADER, SupervisionReason.OVERDUE], ["mood"])
        return lambda: s.event_supervise(actor=actor, event=event, kind=kind, reason=reason, days=Decimal(1))
    if action == "refer_to_leaders":
        note = pick(["影响较大，提请研判"], [""])
        return lambda: s.event_refer_to_leaders(actor=actor, event=event, note=note)
    if action == "decide_route":
        route = pick(["joint", "platform", "district"], ["leaders", "nowhere"])
        note = pick(["按研判意见办理"], [""])
        return lambda: s.event_decide_route(actor=actor, event=event, route=route, note=note)
    if action == "settle":
        note = pick(["已当场答复"], [""])
        return lambda: s.event_settle(actor=actor, event=event, note=note)
    if action == "inform_reporter":
        declined = data.draw(st.booleans())
        note = pick(["电话告知办理结果"], [""])
        return lambda: s.event_inform_reporter(actor=actor, event=event, declined=declined, note=note)
    raise AssertionError(action)
