"""How a demo event runs the loop: at each point, the next step and the person who takes it, through the same
services as real use. The event's fate (`fates.py`) says which detours it takes; the people come from the cast
(`cast.py`).

The next step is read from the event's state, not from a script, so the timer worker (overdue escalations,
urges) can change an event's course and the case simply goes on from where it is.
"""

import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.events import services as s
from grassroots.events.choices import (
    ACTIVE_ASSIGNMENT,
    SOURCES_NEEDING_VERIFICATION,
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    Level,
    Mode,
    Status,
    SupervisionKind,
    SupervisionReason,
    SuspensionKind,
    SuspensionStatus,
)
from grassroots.events.models import Assignment, Event, ExtensionRequest, Suspension
from grassroots.events.services.routing import feedback_missing
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .cast import Cast
from .fates import Fate
from .names import DISTRICT_CODE


def _png() -> bytes:
    """A valid 1×1 PNG: the on-the-spot photo of every self-handled case (same bytes, so tiny files)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00" + bytes((96, 140, 80)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


TINY_PNG = _png()

# The county department that takes a level-4 event of a platform when the township unit has no parent.
COUNTY_FALLBACK = {
    PlatformKind.GOVERNANCE: "ZFW",
    PlatformKind.MARKET: "SCJG",
    PlatformKind.ENFORCEMENT: "ZHZF",
    PlatformKind.SERVICE: "MZJ",
}
AS = AssignmentStatus


# A duplicate is merged only into a master still open; one that closed meanwhile makes it void.
UNMERGEABLE = frozenset({Status.MERGED, Status.VOID, Status.INVALID, Status.CLOSED, Status.ARCHIVED})


@dataclass
class Move:
    """The next step on an event: a delay class (how long until someone gets to it) and the call itself."""

    kind: str
    run: Callable[[Event], Any]
    mark: str = ""  # added to the fate's `done` once the step has been taken


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场照片.png", TINY_PNG, content_type="image/png")


VOID_REASONS = (
    "不属于本平台受理范围，已告知反映人办理途径",
    "信息不全且无法联系反映人",
    "属司法程序处理事项",
)
FEEDBACK = (
    "已到现场处置完毕，问题已解决",
    "已约谈当事人并责令整改，整改到位",
    "已协调相关单位处理完毕",
    "已按规定处置并告知当事人",
)
EXTENSION_REASONS = ("需协调多方当事人，工作量较大", "等待材料和检测结果", "天气原因暂无法施工")
SATISFACTION = ((5, 4, 3, 2, 1), (62, 28, 7, 2, 1))
SATISFACTION_AFTER_REWORK = ((5, 4, 3, 2, 1), (25, 35, 25, 10, 5))


def _plain(fate: Fate) -> bool:
    """A fate with no detour a unit takes part in: the command room may answer it at once (直办)."""
    detours = (
        fate.wrong_unit,
        fate.joint,
        fate.reworks,
        fate.extension,
        fate.suspend,
        fate.beyond,
        fate.supervise,
    )
    return not any(detours) and not fate.slow and not fate.quick and not fate.stop_at


class Casework:
    """Chooses the next step for an event and who takes it (one random stream, so the choice is repeatable)."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng = rng
        self.cast = cast

    def pick(self, people: list[Person]) -> Person:
        return people[0] if len(people) == 1 else self.rng.choice(people)

    def next_move(self, event: Event, fate: Fate, master_status: str | None = None) -> Move | None:
        """The step due on `event` now, or None when its story ends here. `master_status`: a duplicate's master."""
        if event.status in {fate.stop_at, Status.ARCHIVED}:
            return None
        step: Callable[[Event, Fate, str | None], Move | None] = getattr(self, f"_on_{event.status}")
        return step(event, fate, master_status)

    # -- 发现上报 and 调度分流 -----------------------------------------------------------------------------

    def _on_reported(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        if fate.self_handle and event.reporter_id:
            worker = next(p for p in self.cast.grid_workers[event.grid_id or 0] if p.pk == event.reporter_id)
            return Move(
                "self_handle",
                lambda e: s.event_self_handle(actor=worker, event=e, note="已现场处置完毕", files=[photo()]),
            )
        village_handles = event.level == Level.GRID and event.village_id in self.cast.committees
        if fate.grid_up and "grid_up" not in fate.done and village_handles:
            worker = self.cast.grid_worker(event)
            reason = "超出网格处置能力，提交村（社区）处理"
            return Move("triage", lambda e: s.event_escalate(actor=worker, event=e, reason=reason), "grid_up")
        return self._triage(event, fate, master_status)

    def _on_verified(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        return self._triage(event, fate, master_status)

    def _triage(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        operator = self.pick(self.cast.room(event, Role.OPERATOR, Role.SHIFT_LEAD))
        if fate.master_id is not None:
            master_id = fate.master_id
            if master_status in {Status.CLOSED, Status.ARCHIVED}:
                reason = "重复反映，原事件已办结，已告知反映人"
                return Move("triage", lambda e: s.event_void(actor=operator, event=e, reason=reason))
            if master_status not in {Status.MERGED, Status.VOID, Status.INVALID, None}:
                note = "同一问题重复反映，合并办理"

                def merge(e: Event) -> Any:
                    # The master may have closed (or been merged) since this step was planned: then voided.
                    into = Event.objects.get(pk=master_id)
                    if into.merged_into_id is not None or into.status in UNMERGEABLE:
                        return s.event_void(
                            actor=operator, event=e, reason="重复反映，原事件已办结，已告知反映人"
                        )
                    return s.event_merge(actor=operator, event=e, into=into, note=note)

                return Move("triage", merge, "merged")
        if event.status == Status.REPORTED and event.source in SOURCES_NEEDING_VERIFICATION:
            if fate.void and self.rng.random() < 0.5:
                return self._void(operator)
            verifier = self.cast.grid_checker(event)
            if verifier is not None:
                return Move("triage", lambda e: s.event_verify(actor=operator, event=e, verifier=verifier))
        if fate.void:
            return self._void(operator)
        return Move("triage", lambda e: s.event_register(actor=operator, event=e))

    def _void(self, operator: Person) -> Move:
        reason = self.rng.choice(VOID_REASONS)
        return Move("triage", lambda e: s.event_void(actor=operator, event=e, reason=reason))

    def _on_verifying(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        verifier = self._grid_person(event)
        valid = not fate.invalid
        note = (
            "现场核实属实"
            if valid
            else self.rng.choice(["现场未发现所反映问题", "问题已自行消除", "所述地址无此情况"])
        )
        return Move("verify", lambda e: s.event_verify(actor=verifier, event=e, valid=valid, note=note))

    def _grid_person(self, event: Event) -> Person:
        """The grid worker sent to verify or check (the event's verifier), else the grid's first worker."""
        workers = self.cast.grid_workers[event.grid_id or 0]
        return next((p for p in workers if p.pk == event.verifier_id), workers[0])

    def _on_registered(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        if event.level >= Level.DISTRICT:
            centre = self.pick(self.cast.room(event))
            if fate.down and "down" not in fate.done and event.escalation_count < 3:
                reason = "属乡镇职责范围，请属地统筹处置"
                return Move(
                    "dispatch",
                    lambda e: s.event_escalate(actor=centre, event=e, reason=reason, direction="down"),
                    "down",
                )
            county_id = self._county_unit(event).pk
            leader = None if fate.supervise else self._leader(event)
            return Move(
                "dispatch",
                lambda e: s.event_dispatch(
                    actor=centre,
                    event=e,
                    lead_unit_id=county_id,
                    mode=Mode.SUPERVISED if leader else Mode.ASSIGNED,
                    leader=leader,
                ),
            )
        dispatcher = self.pick(self.cast.room(event, Role.DISPATCHER, Role.SHIFT_LEAD))
        lead = self._right_unit(event)
        assists: list[int] = []
        mark = ""
        township_level = lead.kind != UnitKind.VILLAGE_COMMITTEE
        if fate.wrong_unit and "wrong_unit" not in fate.done and township_level:
            others = [u for u in self._members(event) if u.pk != lead.pk]
            if others:
                lead, mark = self.rng.choice(others), "wrong_unit"
        elif fate.joint and "joint" not in fate.done and township_level:
            others = [u for u in self._members(event) if u.pk != lead.pk]
            assists = [u.pk for u in self.rng.sample(others, min(len(others), self.rng.choice([1, 1, 2])))]
            mark = "joint"
        mode = self.rng.choices([Mode.ASSIGNED, Mode.DIRECT, Mode.SUPERVISED], [80, 12, 8])[0]
        if mode == Mode.DIRECT and event.mode in ("", Mode.DIRECT) and _plain(fate):
            # 直办: the command room answers at once; no unit is sent.
            answer = "指挥室当场答复并协调办理"
            return Move("dispatch", lambda e: s.event_settle(actor=dispatcher, event=e, note=answer))
        # An event whose fate brings its own supervision order (a leader's, or after repeated complaints) is
        # not supervised from the start: one open order per kind.
        leader = self._leader(event) if mode == Mode.SUPERVISED and not fate.supervise else None
        mode = Mode.SUPERVISED if leader else Mode.ASSIGNED
        lead_id = lead.pk
        return Move(
            "dispatch",
            lambda e: s.event_dispatch(
                actor=dispatcher,
                event=e,
                lead_unit_id=lead_id,
                assist_unit_ids=assists,
                mode=mode,
                leader=leader,
            ),
            mark,
        )

    def _leader(self, event: Event) -> Person | None:
        """督办's owning leader: one of the township's leaders (the demo's 党政办)."""
        leaders = self.cast.leaders(event)
        return self.pick(leaders) if leaders else None

    def _members(self, event: Event) -> list[Unit]:
        return self.cast.members.get((event.township_id or 0, event.platform), [])

    def _right_unit(self, event: Event) -> Unit:
        """Where the type says it goes: the village for village-level types, unless it came up from there."""
        cast = self.cast
        first_time = event.escalation_count == 0 and event.return_count == 0
        if (
            event.event_type.default_level <= Level.VILLAGE
            and first_time
            and event.village_id in cast.committees
        ):
            return cast.committees[event.village_id or 0]
        return cast.township_unit(event, event.event_type.default_unit_suffix) or self._members(event)[0]

    def _county_unit(self, event: Event) -> Unit:
        township_unit = self.cast.township_unit(event, event.event_type.default_unit_suffix)
        if township_unit is not None and township_unit.parent_id is not None:
            return self.cast.unit_by_id[township_unit.parent_id]
        return self.cast.units[f"{DISTRICT_CODE}-{COUNTY_FALLBACK[PlatformKind(event.platform)]}"]

    # -- 处置反馈 ----------------------------------------------------------------------------------------

    def _on_dispatched(self, event: Event, fate: Fate, master_status: str | None) -> Move | None:
        if "extension" in fate.done and "decided" not in fate.done:
            pending = ExtensionRequest.objects.filter(event=event, status=ExtensionStatus.PENDING).first()
            if pending is not None:
                return self._decide(event, fate, pending.pk)
        if "suspend" in fate.done and "suspend_decided" not in fate.done:
            decision = self._decide_suspension(event)
            if decision is not None:
                return decision
        if fate.supervise and "supervise" not in fate.done:
            return self._supervise(event, fate)
        active = list(
            Assignment.objects.filter(event=event, status__in=ACTIVE_ASSIGNMENT).order_by("role", "id")
        )
        if not active:
            return None
        # Ordered "assist" before "lead": every unit signs first, then the assisting units, the lead last.
        working = next((a for a in active if a.status == AS.DISPATCHED), None) or active[-1]
        staff = self.cast.unit_staff(working.unit_id)
        if not staff:
            return None
        actor = self.pick(staff)
        lead = working.role == AssignmentRole.LEAD
        if working.status == AS.DISPATCHED:
            if lead and "wrong_unit" in fate.done and "returned" not in fate.done:
                reason = "不属于本单位职责，请重新派遣"
                return Move(
                    "return", lambda e: s.event_return(actor=actor, event=e, reason=reason), "returned"
                )
            return Move("sign", lambda e: s.event_sign(actor=actor, event=e))
        if working.status == AS.SIGNED and (fate.quick or self.rng.random() < 0.5):
            # Half the units record that work has started (开始处置); the others feed back when done.
            return Move("handle", lambda e: s.event_handle(actor=actor, event=e, note="已安排人员处置"))
        if (
            lead
            and fate.beyond
            and "beyond" not in fate.done
            and event.level in (Level.VILLAGE, Level.TOWNSHIP)
        ):
            reason = "涉及多个部门职责，超出本级处置权限，申请升级"
            return Move("escalate", lambda e: s.event_escalate(actor=actor, event=e, reason=reason), "beyond")
        if lead and fate.suspend and "suspend" not in fate.done:
            kind, why = SuspensionKind.TESTING, "等待第三方检测报告"
            return Move(
                "extension",
                lambda e: s.event_request_suspension(actor=actor, event=e, kind=kind, reason=why),
                "suspend",
            )
        if lead and fate.extension and "extension" not in fate.done:
            days = self.rng.choice([Decimal(1), Decimal(2), Decimal(3)])
            why = self.rng.choice(EXTENSION_REASONS)
            return Move(
                "extension",
                lambda e: s.event_request_extension(actor=actor, event=e, days=days, reason=why),
                "extension",
            )
        feedback = self.rng.choice(FEEDBACK)
        return Move("feed_back", lambda e: s.event_feed_back(actor=actor, event=e, feedback=feedback))

    _on_signed = _on_dispatched
    _on_handling = _on_dispatched

    def _decide_suspension(self, event: Event) -> Move | None:
        pending = Suspension.objects.filter(event=event, status=SuspensionStatus.PENDING).first()
        if pending is None:
            return None
        lead = self.pick(self.cast.room(event, Role.SHIFT_LEAD))
        note = "同意挂起，检测期间暂停计时"
        return Move(
            "decide",
            lambda e: s.event_decide_suspension(
                actor=lead, event=e, suspension_id=pending.pk, approve=True, note=note
            ),
            "suspend_decided",
        )

    def _on_suspended(self, event: Event, fate: Fate, master_status: str | None) -> Move | None:
        holder = (
            Assignment.objects.filter(event=event, status__in=ACTIVE_ASSIGNMENT).order_by("role", "id").last()
        )
        staff = self.cast.unit_staff(holder.unit_id) if holder is not None else []
        if not staff:
            return None
        actor = self.pick(staff)
        return Move("resume", lambda e: s.event_resume(actor=actor, event=e, note="检测报告已出，恢复办理"))

    def _decide(self, event: Event, fate: Fate, request_id: int) -> Move:
        lead = self.pick(self.cast.room(event, Role.SHIFT_LEAD))
        approve = fate.extension != "reject"
        note = "同意延期，请按新期限办结" if approve else "不同意延期，请按原期限办结"
        return Move(
            "decide",
            lambda e: s.event_decide_extension(
                actor=lead, event=e, request_id=request_id, approve=approve, note=note
            ),
            "decided",
        )

    def _supervise(self, event: Event, fate: Fate) -> Move:
        """督办: a township leader's order, or the command room's after repeated complaints."""
        repeat = "repeat" in fate.done
        if repeat:
            actor = self.pick(self.cast.room(event, Role.DISPATCHER))
        else:
            actor = self.pick(self.cast.leaders(event) or self.cast.room(event))
        reason = SupervisionReason.REPEAT_COMPLAINT if repeat else SupervisionReason.LEADER
        days = self.rng.choice([1, 2, 3])
        return Move(
            "supervise",
            lambda e: s.event_supervise(
                actor=actor,
                event=e,
                kind=SupervisionKind.SUPERVISE,
                reason=reason,
                days=days,
                note="请加快办理，按期办结",
            ),
            "supervise",
        )

    # -- 任务核查, 评价考核, 结单归档 ----------------------------------------------------------------------

    def _on_fed_back(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        operator = self.pick(self.cast.room(event, Role.OPERATOR, Role.DISPATCHER))
        if not fate.quick and self.rng.random() < 0.3:
            # The command room checks by video or phone itself, without sending anyone.
            return self._check(event, fate, operator, "视频核查")
        worker = self.cast.grid_checker(event)
        if worker is None:
            # The grid's only worker reported it and may not check their own case: the room checks by video.
            return self._check(event, fate, operator, "视频核查")
        return Move("check_send", lambda e: s.event_check(actor=operator, event=e, checker=worker))

    def _on_checking(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        return self._check(event, fate, self._grid_person(event), "现场核查")

    def _check(self, event: Event, fate: Fate, checker: Person, how: str) -> Move:
        passed = event.rework_count >= fate.reworks
        if passed:
            note = f"{how}，处置到位"
        else:
            note = f"{how}，{self.rng.choice(['未整改到位', '问题仍然存在'])}，需返工"
        return Move("check", lambda e: s.event_check(actor=checker, event=e, passed=passed, note=note))

    def _on_checked(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        if event.anonymous or not (event.reporter_phone or event.reporter_email):
            return self._close(event)
        operator = self.pick(self.cast.room(event, Role.OPERATOR))
        if fate.unreached:
            return Move(
                "callback",
                lambda e: s.event_callback(
                    actor=operator, event=e, satisfaction=None, reached=False, note="多次联系未接通"
                ),
            )
        grades, weights = SATISFACTION if event.rework_count == 0 else SATISFACTION_AFTER_REWORK
        grade = self.rng.choices(grades, weights)[0]
        return Move("callback", lambda e: s.event_callback(actor=operator, event=e, satisfaction=grade))

    def _on_evaluated(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        if feedback_missing(event):
            # 双反馈: a caller the callback could not reach is told by text message before closing.
            operator = self.pick(self.cast.room(event, Role.OPERATOR))
            note = "回访未接通，已短信告知办理结果"
            return Move("callback", lambda e: s.event_inform_reporter(actor=operator, event=e, note=note))
        return self._close(event)

    def _on_self_handled(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        return self._close(event)

    def _close(self, event: Event) -> Move:
        lead = self.pick(self.cast.room(event, Role.SHIFT_LEAD))
        return Move("close", lambda e: s.event_close(actor=lead, event=e, note="处置完毕，准予结案"))

    def _on_closed(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        lead = self.pick(self.cast.room(event, Role.SHIFT_LEAD))
        if fate.reopen and "reopen" not in fate.done:
            reason = "反映人再次来电，问题反弹，重启办理"
            return Move("reopen", lambda e: s.event_reopen(actor=lead, event=e, reason=reason), "reopen")
        return Move("archive", lambda e: s.event_archive(actor=lead, event=e))

    def _on_void(self, event: Event, fate: Fate, master_status: str | None) -> Move:
        lead = self.pick(self.cast.room(event, Role.SHIFT_LEAD))
        return Move("archive", lambda e: s.event_archive(actor=lead, event=e))

    _on_invalid = _on_void
    _on_merged = _on_void
