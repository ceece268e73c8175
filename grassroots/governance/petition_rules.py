"""A petition's steps as a table (信访工作条例 2022; DOMAIN.md §7). Read this file to know the flow; the services in
`services/petition*.py` carry the steps out with their named guards, and nothing else sets `Petition.status`."""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .petition_choices import PetitionStatus as S


class Actor:
    """Who may take a step, with respect to one petition (`petition_permissions.petition_actor_kinds`)."""

    OFFICE = "office"  # staff of the handling unit (信访办), or a leader / coordinator whose area covers it
    LEADER = "leader"  # the leader who took the case (包案领导): answers for it
    SYSTEM = "system"  # the timer worker: reminders only, it moves no petition


A = Actor
WORKED = {S.REGISTERED, S.ACCEPTED, S.ANSWERED, S.REVIEWING, S.REVIEWED, S.RECHECKING}
TABLE: list[Move] = [
    # 包案: a leader takes the case and answers for it (named or changed while it is worked)
    move("assign_leader", WORKED, None, A.OFFICE),
    # within 15 日 of registration: accept, refuse, route to the body with the remit (第二十二–二十三条); a
    # transferred matter outside the remit is returned within 5 工作日; the same matter accepted already is joined
    move("accept", {S.REGISTERED}, S.ACCEPTED, A.OFFICE, clock=C.RESTART),
    move("refuse", {S.REGISTERED}, S.NOT_ACCEPTED, A.OFFICE, clock=C.STOP),
    move("transfer", {S.REGISTERED}, S.TRANSFERRED, A.OFFICE, clock=C.STOP),
    move("object", {S.REGISTERED}, S.RETURNED, A.OFFICE, clock=C.STOP),
    move("join", {S.REGISTERED}, S.JOINED, A.OFFICE, clock=C.STOP),
    # 办理: 60 日 from acceptance, extended once by at most 30 日, the petitioner told why (第三十四条)
    move("extend", {S.ACCEPTED}, None, A.OFFICE, A.LEADER, clock=C.EXTEND),
    move("answer", {S.ACCEPTED}, S.ANSWERED, A.LEADER, clock=C.RESTART),
    # 复查: asked within 30 日 of the answer, answered within 30 日 (第三十五条); 复核 the same (第三十六条)
    move("request_review", {S.ANSWERED}, S.REVIEWING, A.OFFICE, clock=C.RESTART),
    move("answer_review", {S.REVIEWING}, S.REVIEWED, A.OFFICE, A.LEADER, clock=C.RESTART),
    move("request_recheck", {S.REVIEWED}, S.RECHECKING, A.OFFICE, clock=C.RESTART),
    move("answer_recheck", {S.RECHECKING}, S.CLOSED, A.OFFICE, A.LEADER, clock=C.STOP),
    # 办结: no request within the 30 日, or the petitioner satisfied
    move("close", {S.ANSWERED, S.REVIEWED}, S.CLOSED, A.OFFICE, A.LEADER, clock=C.STOP),
]

ACTION_LABELS = {
    "register": "登记信访件",
    "assign_leader": "领导包案",
    "accept": "受理",
    "refuse": "不予受理",
    "transfer": "转送有权处理机关",
    "object": "退回（不属本机关职权范围）",
    "join": "合并重复信访",
    "extend": "延长办理期限",
    "answer": "出具信访处理意见书",
    "request_review": "登记复查申请",
    "answer_review": "出具复查意见书",
    "request_recheck": "登记复核申请",
    "answer_recheck": "出具复核意见书（终结）",
    "close": "办结",
    "warn": "临近期限提醒",
    "overdue": "超期",
}


def state_label(status: str) -> str:
    return str(S(status).label)


PETITION = Workflow(name="petition", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)
