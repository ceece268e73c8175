"""An inspection's steps as a table (DOMAIN.md §7 市场监管). Read this file to know the flow; the services in
`services/inspections.py` carry the steps out, and nothing else sets `Inspection.status`."""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .choices import InspectionStatus as S


class Actor:
    """Who may take a step, with respect to one inspection (`selectors_inspections.actor_kinds`)."""

    INSPECTOR = "inspector"  # one of the inspectors named on it (drawn, for 双随机)
    UNIT = "unit"  # a coordinator or staff member of the inspecting unit, or a coordinator over its area
    SYSTEM = "system"  # the timer worker


A = Actor
TABLE: list[Move] = [
    # 现场检查: the checklist, the photos, the conclusion; findings open a rectification with its clock
    move("record", {S.ASSIGNED}, S.CLOSED, A.INSPECTOR),
    move("record", {S.ASSIGNED}, S.RECTIFYING, A.INSPECTOR, clock=C.START),
    # 复查: every finding rectified closes it; otherwise a new deadline (and, as a rule, a penalty or a case)
    move("recheck", {S.RECTIFYING}, S.CLOSED, A.INSPECTOR, clock=C.STOP),
    move("recheck", {S.RECTIFYING}, S.RECTIFYING, A.INSPECTOR, clock=C.START),
    # 行政处罚 recorded on it (the decision's number, kind, amount and legal basis)
    move("penalize", {S.RECTIFYING, S.CLOSED}, None, A.INSPECTOR, A.UNIT),
    # 取消: before anyone went, with a reason (the entity closed down, a duplicate task)
    move("cancel", {S.ASSIGNED}, S.CANCELLED, A.UNIT),
]

ACTION_LABELS = {
    "create": "安排检查",
    "record": "录入检查结果",
    "recheck": "复查",
    "penalize": "登记行政处罚",
    "cancel": "取消检查",
    "overdue": "整改逾期",
}


def state_label(status: str) -> str:
    return str(S(status).label)


INSPECTION = Workflow(name="inspection", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)
