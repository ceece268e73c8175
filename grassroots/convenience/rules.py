"""The application's steps as a table (DOMAIN.md §7 便民服务), and the rectification of a bad rating.

Read this file to know the flow. The services in `services/` carry the steps out; nothing else sets `status`.
"""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .choices import OPEN_STATUSES, RectificationStatus, Status

S = Status


class Actor:
    """Who may take a step, with respect to one application (`selectors.actor_kinds`)."""

    WINDOW = "window"  # a clerk of the centre's windows (一窗受理: any comprehensive window accepts any item)
    HANDLER = "handler"  # the person holding it now, or their B post while they are away (AB岗)
    UNIT = "unit"  # staff of the unit handling it behind the window
    AGENT = "agent"  # the village agent who took it in (代办)
    APPLICANT = "applicant"  # the applicant, by the link they were given (rating only)
    SYSTEM = "system"  # the timer worker


A = Actor
DESK = (A.WINDOW, A.HANDLER)
TABLE: list[Move] = [
    # 代办: the township window takes in what a village agent forwarded; the promise clock starts
    move("receive", {S.FORWARDED}, S.RECEIVED, A.WINDOW, clock=C.START),
    # 受理, 补正 (一次性告知: the clock waits for the applicant), 不予受理 (written reason)
    move("accept", {S.RECEIVED}, S.PROCESSING, *DESK),
    move("request_correction", {S.RECEIVED, S.PROCESSING}, S.CORRECTING, *DESK, A.UNIT, clock=C.PAUSE),
    move("supply", {S.CORRECTING}, S.PROCESSING, *DESK, clock=C.RESUME),  # supplied: accepted
    move("reject", {S.RECEIVED, S.CORRECTING}, S.NOT_ACCEPTED, *DESK, clock=C.STOP),
    # 办理: in the back office or another unit; 特别程序 (hearing, testing, expert review) does not count
    move("transfer", {S.PROCESSING}, None, *DESK, A.UNIT),
    move("suspend", {S.PROCESSING}, S.SUSPENDED, *DESK, A.UNIT, clock=C.PAUSE),
    move("resume", {S.SUSPENDED}, S.PROCESSING, *DESK, A.UNIT, clock=C.RESUME),
    move("decide", {S.PROCESSING}, S.DECIDED, *DESK, A.UNIT, clock=C.STOP),  # 办结: granted or refused
    move("deliver", {S.DECIDED}, S.DELIVERED, *DESK),  # 送达: window, mail, electronic
    move("archive", {S.DELIVERED, S.NOT_ACCEPTED, S.WITHDRAWN}, S.ARCHIVED, *DESK),
    move("withdraw", OPEN_STATUSES, S.WITHDRAWN, *DESK, A.AGENT, clock=C.STOP),  # 撤件
    # Across the flow: the applicant came in again (counted for 最多跑一次), and 好差评 after delivery
    move("record_visit", {*OPEN_STATUSES, S.DECIDED} - {S.FORWARDED}, None, *DESK),
    move("rate", {S.DELIVERED, S.ARCHIVED}, None, *DESK, A.APPLICANT),
]

ACTION_LABELS = {
    "receive": "接件",
    "accept": "受理",
    "request_correction": "一次性告知补正",
    "supply": "材料补齐",
    "reject": "不予受理",
    "transfer": "转办",
    "suspend": "特别程序",
    "resume": "恢复办理",
    "decide": "办结",
    "deliver": "送达",
    "archive": "归档",
    "withdraw": "撤件",
    "record_visit": "登记到现场",
    "rate": "好差评",
    "apply": "窗口受理",
    "forward": "代办转交",
}


def state_label(status: str) -> str:
    return str(Status(status).label)


APPLICATION = Workflow(name="application", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)


R = RectificationStatus


class Owner:
    RESPONSIBLE = "responsible"  # the owner, their B post while away, or a coordinator of the centre


RECTIFICATION_TABLE: list[Move] = [
    move("contact", {R.OPEN}, R.CONTACTED, Owner.RESPONSIBLE, clock=C.STOP),  # the callback (回访)
    move("rectify", {R.CONTACTED}, R.RECTIFIED, Owner.RESPONSIBLE, clock=C.STOP),  # the fix (整改)
    move("review", {R.RECTIFIED}, R.CLOSED, Owner.RESPONSIBLE),  # the applicant's word on the fix (复评)
]
RECTIFICATION_LABELS = {"contact": "回访", "rectify": "整改", "review": "整改复评"}
RECTIFICATION = Workflow(
    name="rectification",
    state_label=lambda s: str(RectificationStatus(s).label),
    action_labels=RECTIFICATION_LABELS,
    moves=RECTIFICATION_TABLE,
)


def action_label(action: str) -> str:
    """The words for a history row's action (a rectification's steps are recorded as "rectification.<action>")."""
    if action.startswith("rectification."):
        return RECTIFICATION_LABELS.get(action.split(".", 1)[1], action)
    return ACTION_LABELS.get(action, action)
