"""Every move of the loop's table (`rules.TABLE`) and every move outside it, one test per action and status.

The event is put in each status by walking the loop with the services, so it carries what that status comes with
(assignments, the verifier sent, a pending extension or suspension request, the state a suspension came from). Then the action's service is called:

- a move the table allows succeeds for every persona the row allows and lands on the row's target;
- a move outside the table is refused as `invalid_transition` for everyone, and changes nothing;
- a persona the row does not allow is refused as `not_permitted`, and changes nothing.

The stateful property test (`test_loop_properties.py`) walks the loop at random; this one is the whole table.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, build_world, make_person, restore_reference_data
from grassroots.core.errors import Conflict, DomainError, Forbidden
from grassroots.core.refcache import reference_caches_clear
from grassroots.demo.photos import sample_png
from grassroots.events import rules
from grassroots.events import services as s
from grassroots.events.choices import (
    ACTIVE_ASSIGNMENT,
    ExtensionStatus,
    Source,
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
    EventType,
    ExtensionRequest,
    SupervisionOrder,
    Suspension,
    Transition,
)
from grassroots.geo.index import grid_index_invalidate
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI

S = Status
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday morning in a year the calendar knows
PNG = sample_png()

# How each status is reached from a fresh grid report (REPORTED), step by step (see `WALK`).
TO_DISPATCHED = ["register", "dispatch"]
TO_FED_BACK = [*TO_DISPATCHED, "sign", "handle", "feed_back"]
TO_CHECKED = [*TO_FED_BACK, "check_send", "check_pass"]
PATHS: dict[str, list[str]] = {
    S.REPORTED: [],
    S.SELF_HANDLED: ["self_handle"],
    S.VERIFYING: ["verify_send"],
    S.VERIFIED: ["verify_send", "verify_true"],
    S.INVALID: ["verify_send", "verify_false"],
    S.REGISTERED: ["register"],
    S.VOID: ["void"],
    S.MERGED: ["merge"],
    S.DISPATCHED: TO_DISPATCHED,
    S.SIGNED: [*TO_DISPATCHED, "sign"],
    S.SUSPENDED: [*TO_DISPATCHED, "sign", "request_suspension", "approve_suspension"],
    S.HANDLING: [*TO_DISPATCHED, "sign", "handle"],
    S.FED_BACK: TO_FED_BACK,
    S.CHECKING: [*TO_FED_BACK, "check_send"],
    S.CHECKED: TO_CHECKED,
    S.EVALUATED: [*TO_CHECKED, "callback"],
    S.CLOSED: [*TO_CHECKED, "callback", "close"],
    S.ARCHIVED: [*TO_CHECKED, "callback", "close", "archive"],
}

# Who each persona is on the test's event (in Alice's grid, below the district level), as the loop defines
# the kinds of actor. Dora is a holder while her agency holds an active assignment; Vic, a grid worker of
# another grid, is a verifier only once sent to verify or check this event.
PERSONA_KINDS: dict[str, set[str]] = {
    "lena": {"command", "supervisor", "verifier", "lead"},  # shift lead of the township's command room
    "oscar": {"command", "supervisor", "verifier"},  # operator of the command room
    "alice": {"grid", "verifier"},  # grid worker of the event's grid
    "leo": {"supervisor", "leader"},  # township leader
    "dora": set(),  # staff of the agency the event is dispatched to
    "vic": set(),  # grid worker of the other grid
    "bob": set(),  # village staff, nothing to do with the event
    "system": {"system"},  # the timer worker (actor None)
}
# Rows without a target leave the status to the step. Where these steps move the event in this test (one unit
# dispatched, the event below the district level); the other target-less steps keep the status.
UNTARGETED_LANDING = {
    "sign": S.SIGNED,  # every unit has signed
    "feed_back": S.FED_BACK,  # every unit has fed back
    "return": S.REGISTERED,  # the lead unit returned it to triage
    "escalate": S.REGISTERED,  # one level up, to be dispatched there
}


@dataclass
class Cast:
    world: World
    people: dict[str, Any]  # the timer (None) too: the services must refuse it
    other: Event  # an open event to merge into

    def kinds(self, name: str, event: Event) -> set[str]:
        kinds = set(PERSONA_KINDS[name])
        if (
            name == "dora"
            and Assignment.objects.filter(
                event=event, unit=self.world.agency, status__in=ACTIVE_ASSIGNMENT
            ).exists()
        ):
            kinds.add("holder")
        person = self.people[name]
        if name == "vic" and person is not None and event.verifier_id == person.pk:
            kinds.add("verifier")
        return kinds


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", PNG, content_type="image/png")


def report(reporter: Person | None, title: str) -> Event:
    """A grid worker's patrol report of a problem the grid may fix on the spot (so `self_handle` can)."""
    return s.event_report(
        actor=reporter,
        event_type=EventType.objects.get(code="ZF0101"),
        source=Source.PATROL,
        title=title,
        lon=120.885,
        lat=30.945,
    ).event


WALK: dict[str, Callable[[Cast, Event], Any]] = {
    "self_handle": lambda c, e: s.event_self_handle(
        actor=c.people["alice"], event=e, note="当场处置", files=[png()]
    ),
    "verify_send": lambda c, e: s.event_verify(actor=c.people["oscar"], event=e, verifier=c.people["vic"]),
    "verify_true": lambda c, e: s.event_verify(actor=c.people["vic"], event=e, valid=True),
    "verify_false": lambda c, e: s.event_verify(actor=c.people["vic"], event=e, valid=False),
    "register": lambda c, e: s.event_register(actor=c.people["oscar"], event=e),
    "void": lambda c, e: s.event_void(actor=c.people["oscar"], event=e, reason="不属于受理范围"),
    "merge": lambda c, e: s.event_merge(actor=c.people["oscar"], event=e, into=c.other),
    "dispatch": lambda c, e: s.event_dispatch(
        actor=c.people["oscar"], event=e, lead_unit_id=c.world.agency.pk
    ),
    "sign": lambda c, e: s.event_sign(actor=c.people["dora"], event=e),
    "handle": lambda c, e: s.event_handle(actor=c.people["dora"], event=e),
    "request_extension": lambda c, e: s.event_request_extension(
        actor=c.people["dora"], event=e, days="1", reason="需协调多个部门"
    ),
    "request_suspension": lambda c, e: s.event_request_suspension(
        actor=c.people["dora"], event=e, kind=SuspensionKind.TESTING, reason="等待检测报告"
    ),
    "approve_suspension": lambda c, e: s.event_decide_suspension(
        actor=c.people["lena"], event=e, suspension_id=pending_suspension(e), approve=True
    ),
    "feed_back": lambda c, e: s.event_feed_back(actor=c.people["dora"], event=e, feedback="已清理"),
    "check_send": lambda c, e: s.event_check(actor=c.people["oscar"], event=e, checker=c.people["vic"]),
    "check_pass": lambda c, e: s.event_check(actor=c.people["vic"], event=e, passed=True),
    "check_fail": lambda c, e: s.event_check(actor=c.people["vic"], event=e, passed=False, note="仍未清理"),
    "callback": lambda c, e: s.event_callback(actor=c.people["oscar"], event=e, satisfaction=5),
    "close": lambda c, e: s.event_close(actor=c.people["lena"], event=e),
    "refer": lambda c, e: s.event_refer_to_leaders(actor=c.people["oscar"], event=e, note="影响较大"),
    "archive": lambda c, e: s.event_archive(actor=c.people["lena"], event=e),
}


def pending_suspension(event: Event) -> int:
    pending = Suspension.objects.filter(event=event, status=SuspensionStatus.PENDING).first()
    return pending.pk if pending else 10**9


# Besides the plain walk, some statuses are also reached with something a step needs (see `path`).
EXTENSION = "extension"  # a pending extension request, asked as soon as the event is dispatched
SUSPENSION = "suspension"  # a pending suspension request, asked as soon as the unit signed
FROM_HANDLING = "from-handling"  # suspended while handling (the plain walk suspends it once signed)
REFERRED = "referred"  # registered and referred to the leaders' 研判


def path(status: str, variant: str = "") -> list[str] | None:
    """The walk to `status` in `variant`, or None where the variant cannot be reached."""
    steps = list(PATHS[status])
    if variant == EXTENSION:
        if "dispatch" not in steps:
            return None
        steps.insert(steps.index("dispatch") + 1, "request_extension")
    elif variant == SUSPENSION:
        if status == S.DISPATCHED:  # a request left behind by the feedback, the check failed: rework
            steps = [*TO_FED_BACK, "check_send", "check_fail"]
        if "sign" not in steps or "request_suspension" in steps:  # one open suspension per event
            return None
        steps.insert(steps.index("sign") + 1, "request_suspension")
    elif variant == REFERRED:
        if status != S.REGISTERED:
            return None
        steps.append("refer")
    elif variant == FROM_HANDLING:
        if status != S.SUSPENDED:
            return None
        steps.insert(steps.index("sign") + 1, "handle")
    return steps


VARIANTS = ("", EXTENSION, SUSPENSION, FROM_HANDLING, REFERRED)


def variant_for(action: str, status: str, target: str | None) -> str:
    """The event to try `action` on: one with what the action needs, where the status can have it."""
    wanted = {"decide_extension": EXTENSION, "decide_suspension": SUSPENSION, "decide_route": REFERRED}.get(
        action, ""
    )
    if action == "resume" and target == S.HANDLING:
        wanted = FROM_HANDLING
    return wanted if wanted and path(status, wanted) is not None else ""


def walk_to(cast: Cast, status: str, variant: str = "") -> Event:
    """A fresh event walked to `status` by `path(status, variant)`."""
    steps = path(status, variant)
    assert steps is not None
    event = report(cast.people["gus"], "路边暴露垃圾")
    for name in steps:
        WALK[name](cast, event)
    assert event.status == status, f"the walk {steps} ended in {event.status}, not {status}"
    return event


@dataclass
class States:
    cast: Cast
    events: dict[tuple[str, str], int]  # (status, variant) → event id


@pytest.fixture(scope="module")
def states(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[States]:
    """The personas and one event in every status, built once for the module (as Django's `setUpTestData`
    does): the module's transaction holds them, each test runs in a savepoint inside it, rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(timezone, "now", lambda: NOW)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            restore_reference_data()
            reference_caches_clear()
            grid_index_invalidate()
            world = build_world()
            people: dict[str, Person | None] = {
                "alice": world.alice,
                "oscar": world.oscar,
                "dora": world.dora,
                "bob": world.bob,
                "lena": make_person(
                    "lena", "林娜", Role.SHIFT_LEAD, unit=world.command_room, division=world.township
                ),
                "leo": make_person("leo", "梁主任", Role.LEADER, division=world.township),
                "vic": make_person(
                    "vic", "魏强", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b
                ),
                # The reporter: another grid worker of Alice's grid (a reporter does not verify or check her case).
                "gus": make_person(
                    "gus", "顾山", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a
                ),
                "system": None,
            }
            cast = Cast(world=world, people=people, other=report(people["gus"], "同一处的另一条上报"))
            events = {
                (status, variant): walk_to(cast, status, variant).pk
                for status in Status.values
                for variant in VARIANTS
                if path(status, variant) is not None
            }
            yield States(cast=cast, events=events)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            reference_caches_clear()
            grid_index_invalidate()


@pytest.fixture
def cast(states: States, db: None, monkeypatch: pytest.MonkeyPatch) -> Cast:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return states.cast


@pytest.fixture
def event_in(states: States, cast: Cast) -> Callable[..., Event]:
    def event_in(status: str, action: str, target: str | None = None) -> Event:
        """The module's event in `status` to try `action` on, with what the action needs (`variant_for`)."""
        event = reload(Event(pk=states.events[(status, variant_for(action, status, target))]))
        assert event.status == status
        return event

    return event_in


def reload(event: Event) -> Event:
    return Event.objects.select_related("event_type").get(pk=event.pk)


def arguments(cast: Cast, action: str, event: Event, target: str | None, actor: Person | None) -> dict:
    """Valid input for `action` on `event`, chosen to reach `target` where the action has several."""
    p = cast.people
    reason = {"reason": "说明理由"}
    if action == "verify":
        return {"verifier": p["vic"]} if event.status == S.REPORTED else {"valid": target != S.INVALID}
    if action == "check":
        if target == S.CHECKING:
            return {"checker": p["vic"]}
        return {"passed": target != S.DISPATCHED, "note": "现场仍未清理"}
    if action == "decide_extension":
        pending = ExtensionRequest.objects.filter(event=event, status=ExtensionStatus.PENDING).first()
        return {"request_id": pending.pk if pending else 10**9, "approve": True}
    if action == "decide_suspension":
        return {"suspension_id": pending_suspension(event), "approve": target == S.SUSPENDED}
    if action == "supervise":
        by_timer = SupervisionReason.OVERDUE if actor is None else SupervisionReason.LEADER
        return {"kind": SupervisionKind.SUPERVISE, "reason": by_timer, "days": Decimal(1)}
    simple: dict[str, dict[str, Any]] = {
        "self_handle": {"note": "当场处置", "files": [png()]},
        "register": {},
        "void": reason,
        "merge": {"into": cast.other},
        "dispatch": {"lead_unit_id": cast.world.agency.pk},
        "sign": {},
        "handle": {},
        "return": reason,
        "request_extension": {"days": "1", **reason},
        "feed_back": {"feedback": "已清理"},
        "request_suspension": {"kind": SuspensionKind.PARTY, **reason},
        "resume": {"note": "已恢复"},
        "callback": {"satisfaction": 5},
        "close": {},
        "archive": {},
        "reopen": reason,
        "escalate": {**reason, "direction": "up"},
        "refer_to_leaders": {"note": "影响较大"},
        "decide_route": {"route": "joint", "note": "多平台联合处置"},
        "settle": {"note": "当场答复"},
        "inform_reporter": {"note": "电话告知办理结果"},
    }
    assert action in simple, f"the table has a new action {action!r}: teach this test its input"
    return simple[action]


def take(cast: Cast, action: str, event: Event, name: str, target: str | None = None) -> Any:
    """Call the action's service (`services.event_<action>`) as persona `name`."""
    actor = cast.people[name]
    service = getattr(s, f"event_{action}")
    return service(actor=actor, event=event, **arguments(cast, action, event, target, actor))


def trace(event: Event) -> tuple[Any, ...]:
    """What every step writes: the event's row, a history row and an audit row."""
    return (
        Event.objects.filter(pk=event.pk).values().get(),
        Transition.objects.count(),
        AuditEntry.objects.count(),
    )


def snapshot(event: Event) -> tuple[Any, ...]:
    """Everything a step may write."""
    return (
        *trace(event),
        list(Assignment.objects.order_by("pk").values()),
        list(ExtensionRequest.objects.order_by("pk").values()),
        list(Suspension.objects.order_by("pk").values()),
        SupervisionOrder.objects.count(),
        Attachment.objects.count(),
    )


class Undo(Exception):
    """Raised to roll a savepoint back, so each persona tries the move on the same event."""


def targets_of(rows: list[Any]) -> list[str | None]:
    """The rows' targets, None (the step keeps the status, or leaves it to the step) first."""
    return sorted({row.target for row in rows}, key=lambda target: target or "")


def moves(*, allowed: bool) -> Iterator[Any]:
    """(action, status, target) for every action × status: the table's rows, or the pairs outside it."""
    for action in rules.ACTIONS:
        for status in Status:
            rows = rules.steps_for(action, status)
            name = f"{action}-from-{status.name}"
            if not allowed and not rows:
                yield pytest.param(action, status.value, id=name)
            targets = targets_of(rows)
            for target in targets if allowed else ():
                suffix = "" if len(targets) == 1 else f"-to-{Status(target).name}" if target else "-stays"
                yield pytest.param(action, status.value, target, id=name + suffix)


def rows_to(action: str, status: str, target: str | None) -> list[Any]:
    return [row for row in rules.steps_for(action, status) if row.target == target]


def test_every_status_has_a_walk_and_every_action_a_service():
    assert set(PATHS) == set(Status.values)
    assert [a for a in rules.ACTIONS if not callable(getattr(s, f"event_{a}", None))] == []


@pytest.mark.parametrize(("action", "status", "target"), list(moves(allowed=True)))
def test_a_move_in_the_table_is_taken_by_everyone_its_row_allows(cast, event_in, action, status, target):
    event = event_in(status, action, target)
    allowed = set().union(*(row.actors for row in rows_to(action, status, target)))
    takers = sorted(n for n in PERSONA_KINDS if cast.kinds(n, event) & allowed)
    assert takers, f"no persona of this test is {sorted(allowed)}"
    landing = target or UNTARGETED_LANDING.get(action, status)
    for name in takers:
        version, transitions, audited = event.version, Transition.objects.count(), AuditEntry.objects.count()
        try:
            with transaction.atomic():
                take(cast, action, reload(event), name, target)
                after = reload(event)
                assert (name, after.status) == (name, landing)
                assert after.version == version + 1
                assert Transition.objects.count() == transitions + 1
                assert AuditEntry.objects.filter(action=f"event.{action}").count() >= 1
                assert AuditEntry.objects.count() > audited
                last = Transition.objects.filter(event=event).latest("seq")
                assert (last.action, last.from_status, last.to_status) == (action, status, landing)
                raise Undo
        except Undo:
            pass


@pytest.mark.parametrize(("action", "status", "target"), list(moves(allowed=True)))
def test_a_move_in_the_table_is_refused_to_everyone_its_row_does_not_allow(
    cast, event_in, action, status, target
):
    event = event_in(status, action, target)
    allowed = set().union(*(row.actors for row in rows_to(action, status, target)))
    outsiders = sorted(n for n in PERSONA_KINDS if not cast.kinds(n, event) & allowed)
    assert outsiders
    before, traced = snapshot(event), trace(event)
    for name in outsiders:
        with pytest.raises(Forbidden) as refused:
            take(cast, action, reload(event), name, target)
        assert (name, refused.value.code) == (name, "not_permitted")
        assert trace(event) == traced, f"{name}'s refused {action} changed something"
    assert snapshot(event) == before


@pytest.mark.parametrize(("action", "status"), list(moves(allowed=False)))
def test_a_move_outside_the_table_is_refused_to_everyone_and_changes_nothing(cast, event_in, action, status):
    # With the input for each target the action has anywhere in the table (approve and reject, pass and fail…).
    for target in targets_of([row for row in rules.TABLE if row.action == action]):
        event = event_in(status, action, target)
        before, traced = snapshot(event), trace(event)
        for name in PERSONA_KINDS:
            with pytest.raises(DomainError) as refused:
                take(cast, action, reload(event), name, target)
            assert isinstance(refused.value, Conflict), f"{name} → {target}: {refused.value.code}"
            assert (name, target, refused.value.code) == (name, target, "invalid_transition")
            assert trace(event) == traced, f"{name}'s refused {action} changed something"
        assert snapshot(event) == before
