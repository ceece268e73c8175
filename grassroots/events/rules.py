"""The closed loop as a table (DOMAIN.md §5): which action moves an event from which state to which, and who may.

Read this file to know the loop. The services in `services/` carry the steps out; nothing else sets `status`.
"""

from typing import Any

from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.choices import ClockOp
from grassroots.workflow.declaration import Move, Workflow
from grassroots.workflow.declaration import move as step

from .choices import ACTIVE_ASSIGNMENT, IN_HAND_STATUSES, OPEN_STATUSES, AssignmentStatus, Status

S = Status


class Actor:
    """Who may take a step. Each is checked against the event by `actor_kinds`."""

    COMMAND = "command"  # the command room of the event's township, or the district centre
    LEAD = "lead"  # shift lead (值班长) or the district centre: approvals, closing, reopening
    SUPERVISOR = "supervisor"  # command room or a leader
    LEADER = "leader"  # a leader (领导): the 研判 of major matters
    HOLDER = "holder"  # staff of a unit holding an active assignment
    VERIFIER = "verifier"  # the grid worker sent to verify or check, or the command room
    GRID = "grid"  # a grid worker of the event's grid
    SYSTEM = "system"  # the timer worker


A = Actor
C = ClockOp  # what the move does to the stage clock (the step's service sets the event's deadline)
TRIAGE = {S.REPORTED, S.VERIFIED}
TABLE: list[Move] = [
    # 发现上报 report
    step("self_handle", {S.REPORTED}, S.SELF_HANDLED, A.GRID),
    # send a grid worker to check on site
    step("verify", {S.REPORTED}, S.VERIFYING, A.COMMAND, clock=C.RESTART),
    step("verify", {S.VERIFYING}, S.VERIFIED, A.VERIFIER, clock=C.RESTART),  # … the report is true
    step("verify", {S.VERIFYING}, S.INVALID, A.VERIFIER, clock=C.STOP),  # … or it is not
    # 调度分流 triage and dispatch
    # from REPORTED only for grid and sensor reports
    step("register", TRIAGE, S.REGISTERED, A.COMMAND, clock=C.RESTART),
    step("void", TRIAGE, S.VOID, A.COMMAND, clock=C.STOP),
    step("merge", {S.REPORTED, S.VERIFYING, S.VERIFIED, S.REGISTERED}, S.MERGED, A.COMMAND, clock=C.STOP),
    step("dispatch", {S.REGISTERED}, S.DISPATCHED, A.COMMAND, clock=C.RESTART),
    # seed 003's routes (`routes.py`): a major matter goes to the leaders, who decide the route with a note
    step("refer_to_leaders", {S.REGISTERED}, None, A.COMMAND),
    step("decide_route", {S.REGISTERED}, None, A.LEADER),
    # 直办: the command room answers or settles it at once (no dispatch); the caller's callback closes it
    step("settle", {*TRIAGE, S.REGISTERED}, S.CHECKED, A.COMMAND, clock=C.RESTART),
    # 处置反馈 handle
    step("sign", {S.DISPATCHED}, None, A.HOLDER),  # the event is SIGNED once every unit has signed
    step("handle", {S.SIGNED, S.HANDLING}, S.HANDLING, A.HOLDER),
    # the lead's return sends it back to REGISTERED
    step("return", IN_HAND_STATUSES, None, A.HOLDER, clock=C.RESTART),
    step("request_extension", IN_HAND_STATUSES, None, A.HOLDER),
    step("decide_extension", IN_HAND_STATUSES | {S.FED_BACK}, None, A.LEAD, clock=C.EXTEND),
    # FED_BACK once every unit has fed back
    step("feed_back", {S.SIGNED, S.HANDLING}, None, A.HOLDER, clock=C.RESTART),
    # 挂起: a unit asks, the lead approves (the clock pauses) or rejects; the unit or the lead resumes it
    step("request_suspension", {S.SIGNED, S.HANDLING}, None, A.HOLDER),
    step("decide_suspension", {S.SIGNED, S.HANDLING}, S.SUSPENDED, A.LEAD, clock=C.PAUSE),  # approve
    step("decide_suspension", IN_HAND_STATUSES | {S.FED_BACK}, None, A.LEAD),  # reject (a stale one too)
    step(
        "resume", {S.SUSPENDED}, S.SIGNED, A.HOLDER, A.LEAD, clock=C.RESUME
    ),  # back to the state it was in …
    step("resume", {S.SUSPENDED}, S.HANDLING, A.HOLDER, A.LEAD, clock=C.RESUME),  # … whichever that was
    # 任务核查 verify the handling
    step("check", {S.FED_BACK}, S.CHECKING, A.COMMAND, clock=C.RESTART),  # send a grid worker to check
    step("check", {S.FED_BACK, S.CHECKING}, S.CHECKED, A.VERIFIER, clock=C.RESTART),  # pass
    step("check", {S.FED_BACK, S.CHECKING}, S.DISPATCHED, A.VERIFIER, clock=C.RESTART),  # fail: rework (返工)
    # 评价考核 evaluate
    step("callback", {S.CHECKED, S.SELF_HANDLED}, S.EVALUATED, A.COMMAND),
    # 双反馈: the operator records telling the reporter the result (or that they declined contact)
    step("inform_reporter", {S.CHECKED, S.EVALUATED, S.SELF_HANDLED}, None, A.COMMAND),
    # 结单归档 close
    step("close", {S.EVALUATED, S.CHECKED, S.SELF_HANDLED}, S.CLOSED, A.LEAD, clock=C.STOP),
    step("archive", {S.CLOSED, S.VOID, S.INVALID, S.MERGED}, S.ARCHIVED, A.LEAD),
    step("reopen", {S.CLOSED}, S.REGISTERED, A.LEAD, clock=C.RESTART),
    # Across the loop
    step(
        "escalate", {S.REPORTED, S.REGISTERED, *IN_HAND_STATUSES}, None, A.HOLDER, A.COMMAND, A.GRID, A.SYSTEM
    ),
    step("supervise", OPEN_STATUSES, None, A.SUPERVISOR, A.SYSTEM),
]

ACTIONS = sorted({s.action for s in TABLE})

# A unit's assignment on an event (one per unit and dispatch round) has its own table. The unit's steps move it
# with the event's step of the same name; the system's moves follow from the event's steps (an escalation or the
# lead's return cancels the round, a passed check completes it, a new dispatch supersedes old feedback).
AS = AssignmentStatus
ASSIGNMENT_TABLE: list[Move] = [
    step("sign", {AS.DISPATCHED}, AS.SIGNED, A.HOLDER),
    step("handle", {AS.SIGNED, AS.HANDLING}, AS.HANDLING, A.HOLDER),
    step("feed_back", {AS.SIGNED, AS.HANDLING}, AS.FED_BACK, A.HOLDER),
    step("return", ACTIVE_ASSIGNMENT, AS.RETURNED, A.HOLDER),
    step("request_extension", ACTIVE_ASSIGNMENT, None, A.HOLDER),
    step("cancel", ACTIVE_ASSIGNMENT, AS.CANCELLED, A.SYSTEM),  # escalated, or the lead unit returned it
    step("supersede", {AS.FED_BACK}, AS.CANCELLED, A.SYSTEM),  # feedback of a dispatch done over
    step("complete", {AS.FED_BACK}, AS.DONE, A.SYSTEM),  # the event passed its check
]

COMMAND_ROLES = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR})
LEAD_ROLES = frozenset({Role.SHIFT_LEAD, Role.CENTRE_OPERATOR})
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_HEAD})


def steps_for(action: str, status: str) -> list[Move]:
    return LOOP.moves_for(action, status)


def actor_kinds(event: Any, actor: Person | None, holder_unit_ids: set[int]) -> set[str]:
    """What `actor` is with respect to `event` (already known to be in their scope)."""
    if actor is None:
        return {A.SYSTEM}
    role = actor.role
    kinds: set[str] = set()
    superuser = actor.is_superuser
    # Level-4 events belong to the district centre; township command rooms act on levels 1–3.
    command = superuser or role == Role.CENTRE_OPERATOR or (role in COMMAND_ROLES and event.level < 4)
    if command:
        kinds |= {A.COMMAND, A.SUPERVISOR, A.VERIFIER}
    if superuser or role == Role.CENTRE_OPERATOR or (role in LEAD_ROLES and event.level < 4):
        kinds.add(A.LEAD)
    if role == Role.LEADER:
        kinds |= {A.SUPERVISOR, A.LEADER}
    if superuser:
        kinds.add(A.LEADER)
    if actor.unit_id and actor.unit_id in holder_unit_ids:
        kinds.add(A.HOLDER)
    if role in GRID_ROLES and event.grid_id and actor.grid_id == event.grid_id:
        kinds |= {A.GRID, A.VERIFIER}
    if event.verifier_id and event.verifier_id == actor.pk:
        kinds.add(A.VERIFIER)
    return kinds


def refusal(action: str, event: Any, kinds: set[str]) -> str | None:
    """Why `action` is not allowed now, in Chinese; None when it is."""
    return LOOP.refusal(action, event.status, kinds, what="事件")


ACTION_LABELS = {
    "report": "上报",
    "self_handle": "自行处置",
    "verify": "核实",
    "register": "立案",
    "void": "不予立案",
    "merge": "合并",
    "dispatch": "派遣",
    "refer_to_leaders": "提请领导研判",
    "decide_route": "领导研判",
    "settle": "直接办结",
    "inform_reporter": "反馈反映人",
    "sign": "签收",
    "handle": "开始处置",
    "return": "退回",
    "request_extension": "申请延期",
    "decide_extension": "审批延期",
    "feed_back": "反馈",
    "request_suspension": "申请挂起",
    "decide_suspension": "审批挂起",
    "resume": "恢复办理",
    "check": "核查",
    "callback": "回访",
    "close": "结案",
    "archive": "归档",
    "reopen": "重启",
    "escalate": "升级",
    "deescalate": "下派",
    "supervise": "督办",
    "warn": "预警",
    "overdue": "超期",
}


def _state_label(status: str) -> str:
    return str(Status(status).label)


# The loop on the workflow core; `steps.py` adds what each action takes and does.
LOOP = Workflow(name="event", state_label=_state_label, action_labels=ACTION_LABELS, moves=TABLE)
ASSIGNMENTS = Workflow(
    name="assignment",
    state_label=lambda status: str(AssignmentStatus(status).label),
    action_labels={**ACTION_LABELS, "cancel": "撤销", "supersede": "作废", "complete": "完成"},
    moves=ASSIGNMENT_TABLE,
)
