"""A joint operation's steps as a table (DOMAIN.md §7 综合执法: joint enforcement and special campaigns). Read this
file to know the flow; `services/operations.py` carries the steps out, and nothing else sets `JointOperation.status`.
"""

from grassroots.workflow.declaration import Move, Workflow, move

from ..models.operations import OperationStatus as S

WORKFLOW_NAME = "joint_operation"  # clocks, links and audit codes (joint_operation.<action>) name it so


class Actor:
    """Who may take a step, with respect to one operation (`operation_access.operation_actor_kinds`)."""

    LEAD = "lead"  # staff of the lead unit (officers, department staff) or a head over it: plans and runs it
    UNIT = "unit"  # staff of a participating unit, or a head over it: records that unit's results and tasks


A = Actor
OPEN = {S.PLANNED, S.ONGOING}
TABLE: list[Move] = [
    # 工作方案: the lead unit writes the plan, the units taking part and their tasks, before and during
    move("edit", OPEN, None, A.LEAD),
    move("add_task", OPEN, None, A.LEAD),
    move("remove_task", OPEN, None, A.LEAD),
    move("start", {S.PLANNED}, S.ONGOING, A.LEAD),
    # 行动中: each unit marks its tasks done and records its own results (a correction replaces them, on record)
    move("complete_task", {S.ONGOING}, None, A.LEAD, A.UNIT),
    move("record_results", {S.ONGOING}, None, A.LEAD, A.UNIT),
    # Events handled and cases opened in the operation, linked to it (also after it ended: cases come later)
    move("link", {S.PLANNED, S.ONGOING, S.FINISHED}, None, A.LEAD, A.UNIT),
    # 结束 once every unit's results are in (the totals are frozen in the step's history row); or 取消
    move("finish", {S.ONGOING}, S.FINISHED, A.LEAD),
    move("cancel", OPEN, S.CANCELLED, A.LEAD),
]

ACTION_LABELS = {
    "create": "发起",
    "edit": "修改工作方案",
    "add_task": "添加任务",
    "remove_task": "删除任务",
    "start": "开始行动",
    "complete_task": "登记任务完成情况",
    "record_results": "填报行动成果",
    "link": "关联记录",
    "finish": "结束行动",
    "cancel": "取消行动",
    "demo": "生成演示数据",
}


def state_label(status: str) -> str:
    return str(S(status).label)


OPERATION = Workflow(name=WORKFLOW_NAME, state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)
