"""A dispute's steps as a table (DOMAIN.md §7 综治工作; 人民调解法). Read this file to know the flow; the services in
`services/disputes*.py` carry the steps out, with their named guards, and nothing else sets `Dispute.status`."""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .choices import DisputeStatus as S


class Actor:
    """Who may take a step, with respect to one dispute (`permissions.dispute_actor_kinds`)."""

    MEDIATOR = "mediator"  # a mediator named on the dispute
    COMMITTEE = (
        "committee"  # a mediator of its committee, or a leader/coordinator whose area covers the committee
    )
    SYSTEM = "system"  # the timer worker (reminders only; it moves no dispute)


A = Actor
BEFORE_END = {S.REGISTERED, S.ACCEPTED, S.MEDIATING}
MEDIATION = {S.ACCEPTED, S.MEDIATING}
SETTLED = {S.AGREED, S.CONFIRMED}
TABLE: list[Move] = [
    # 受理 on an application or on the committee's initiative, mediators named: the month (30 日) starts;
    # no mediation when a party clearly refuses (第十七条), before or after acceptance
    move("accept", {S.REGISTERED}, S.ACCEPTED, A.COMMITTEE, clock=C.START),
    move("refuse", {S.REGISTERED, S.ACCEPTED}, S.REFUSED, A.COMMITTEE, A.MEDIATOR, clock=C.STOP),
    # 激化风险: assessed at any time while open; a high risk is reported to the police (第二十五条)
    move("assess_risk", BEFORE_END | SETTLED, None, A.COMMITTEE, A.MEDIATOR),
    # 调解: each session recorded (the first turns 已受理 into 调解中); the month extended once by the parties
    move("record_session", MEDIATION, S.MEDIATING, A.MEDIATOR),
    move("extend", MEDIATION, None, A.MEDIATOR, A.COMMITTEE, clock=C.EXTEND),
    # 调结: an agreement (written or oral) starts the 30 日 to apply for 司法确认; a failure names the other routes
    move("agree", {S.MEDIATING}, S.AGREED, A.MEDIATOR, clock=C.RESTART),
    move("fail", {S.MEDIATING}, S.FAILED, A.MEDIATOR, clock=C.STOP),
    # 司法确认: applied for jointly (stops the 30 日), the court's ruling recorded: valid → 已司法确认, a rejection
    # leaves the agreement as it was (the parties may mediate again or sue)
    move("apply_confirmation", {S.AGREED}, None, A.MEDIATOR, clock=C.STOP),
    move("record_confirmation", {S.AGREED}, S.CONFIRMED, A.MEDIATOR),
    move("record_confirmation", {S.AGREED}, None, A.MEDIATOR),
    # 履行回访: the committee supervises performance; 结案 once performed (or a refusal / failure filed)
    move("follow_up", SETTLED, None, A.MEDIATOR),
    # 调解协议书 as a Word file, kept with its digest, as often as asked while the agreement stands
    move("generate_agreement", SETTLED, None, A.MEDIATOR),
    move("close", SETTLED | {S.REFUSED, S.FAILED}, S.CLOSED, A.MEDIATOR, A.COMMITTEE, clock=C.STOP),
]

ACTION_LABELS = {
    "register": "登记纠纷",
    "accept": "受理（指定调解员）",
    "refuse": "不予调解（当事人拒绝）",
    "assess_risk": "评估激化风险",
    "record_session": "登记调解记录",
    "extend": "延长调解期限",
    "agree": "达成调解协议",
    "fail": "调解终止",
    "apply_confirmation": "申请司法确认",
    "record_confirmation": "登记司法确认结果",
    "follow_up": "履行回访",
    "close": "结案",
    "generate_agreement": "生成调解协议书",
    "warn": "临近期限提醒",
    "overdue": "超期",
}


def state_label(status: str) -> str:
    return str(S(status).label)


DISPUTE = Workflow(name="dispute", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)
