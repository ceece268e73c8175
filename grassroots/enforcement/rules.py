"""An enforcement case's steps as a table (DOMAIN.md §7 综合执法; 行政处罚法). Read this file to know the flow; the
services in `services/` carry the steps out, with their named guards, and nothing else sets `EnforcementCase.status`.
"""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .choices import BEFORE_DECISION, CASE_CLOCK_STATUSES
from .choices import CaseStatus as S


class Actor:
    """Who may take a step, with respect to one case (`permissions.case_actor_kinds`)."""

    OFFICER = "officer"  # an enforcement officer named on the case (承办人员, at least two, certified)
    HEAD = "head"  # 负责人: a leader or platform coordinator of the unit's area (or of the unit)
    REVIEWER = "reviewer"  # 法制审核: department staff of the case's unit who is not an officer on it
    CHAIR = "chair"  # the hearing's chair (听证主持人), never an officer on the case
    SYSTEM = "system"  # the timer worker (reminders only; it moves no case)


A = Actor
TABLE: list[Move] = [
    # 线索核查 within 15 工作日 (+15 with the head's approval), then 立案 (案号, 90 日 from here) or 不予立案
    move("request_filing", {S.LEAD}, S.FILING, A.OFFICER),
    move("approve_filing", {S.FILING}, S.INVESTIGATING, A.HEAD, clock=C.RESTART),
    move("refuse_filing", {S.LEAD, S.FILING}, S.NOT_FILED, A.HEAD, clock=C.STOP),
    move("extend_lead", {S.LEAD, S.FILING}, None, A.HEAD, clock=C.EXTEND),
    # 简易程序: decided and served on the spot on a numbered form (a warning, ≤ ¥200 / ¥3,000); no 立案
    move("decide_on_spot", {S.LEAD}, S.SERVED, A.OFFICER, clock=C.RESTART),
    # 调查取证: evidence until the decision; the proposal (拟处罚意见); the 90 日 +30 with the head's approval
    move("add_evidence", BEFORE_DECISION, None, A.OFFICER),
    move("propose", {S.INVESTIGATING, S.HEARD}, None, A.OFFICER),
    move("extend_case", CASE_CLOCK_STATUSES, None, A.HEAD, clock=C.EXTEND),
    # 法制审核: required before 告知 of a major case and after any hearing (第五十八条); sent back = investigate more
    move("submit_review", {S.INVESTIGATING, S.HEARD}, S.REVIEWING, A.OFFICER),
    move("review_pass", {S.REVIEWING}, S.REVIEWED, A.REVIEWER),
    move("review_return", {S.REVIEWING}, S.INVESTIGATING, A.REVIEWER),
    # 告知: 5 工作日 to ask for a hearing; from the request to the hearing held, the 90 日 do not run
    move("notify", {S.INVESTIGATING, S.REVIEWED}, S.NOTIFIED, A.OFFICER, clock=C.START),
    move("request_hearing", {S.NOTIFIED}, S.HEARING, A.OFFICER, clock=C.PAUSE),
    move("schedule_hearing", {S.HEARING}, None, A.OFFICER, A.HEAD),
    move("hold_hearing", {S.HEARING}, S.HEARD, A.CHAIR, clock=C.RESUME),
    # 集体讨论 (major cases) and 决定 (a non-penalty outcome needs no 告知, so it may come straight from 调查)
    move("discuss", {S.NOTIFIED, S.REVIEWED}, S.DISCUSSED, A.HEAD),
    move(
        "decide", {S.INVESTIGATING, S.NOTIFIED, S.REVIEWED, S.DISCUSSED}, S.DECIDED, A.HEAD, clock=C.RESTART
    ),
    # 送达 within 7 工作日; 执行 within 15 日 (3% a day after, capped at the fine); 结案; 归档
    move("serve", {S.DECIDED}, S.SERVED, A.OFFICER, clock=C.RESTART),
    move("execute", {S.SERVED}, S.EXECUTED, A.OFFICER, clock=C.STOP),
    move("close", {S.DECIDED, S.SERVED, S.EXECUTED}, S.CLOSED, A.OFFICER, A.HEAD),
    move("archive", {S.CLOSED, S.NOT_FILED}, S.ARCHIVED, A.OFFICER, A.HEAD),
]

ACTION_LABELS = {
    "open": "登记线索",
    "request_filing": "申请立案",
    "approve_filing": "批准立案",
    "refuse_filing": "不予立案",
    "extend_lead": "延长线索核查期限",
    "decide_on_spot": "当场处罚",
    "add_evidence": "登记证据",
    "propose": "拟定处罚意见",
    "extend_case": "延长办案期限",
    "submit_review": "提交法制审核",
    "review_pass": "法制审核通过",
    "review_return": "法制审核退回",
    "notify": "行政处罚告知",
    "request_hearing": "申请听证",
    "schedule_hearing": "安排听证",
    "hold_hearing": "举行听证",
    "discuss": "集体讨论",
    "decide": "作出决定",
    "serve": "送达",
    "execute": "执行",
    "close": "结案",
    "archive": "归档",
}


def state_label(status: str) -> str:
    return str(S(status).label)


CASE = Workflow(name="case", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)
