"""A meeting's steps as a table, and its decisions' (DOMAIN.md §7 "Shared": joint meetings with decisions tracked as
tasks). Read this file to know the flow; the services in `services/` carry the steps out, and nothing else sets
`Meeting.status` or `MeetingTask.status`."""

from grassroots.workflow.choices import ClockOp as C
from grassroots.workflow.declaration import Move, Workflow, move

from .choices import MeetingStatus, TaskStatus

S = MeetingStatus


class Actor:
    """Who may take a step, with respect to one meeting (`permissions.meeting_actor_kinds`)."""

    ORGANISER = (
        "organiser"  # the convenor, who registered it, the group's office, the township's command room
    )
    CONVENOR = "convenor"  # the convenor, or a leader of the township: approves the minutes
    SYSTEM = "system"  # the timer worker


A = Actor
BEFORE = {S.PLANNED, S.HELD}
TABLE: list[Move] = [
    # 会前: who is asked and what is discussed (an agenda item may name an event, a case, a dispute ...)
    move("invite", BEFORE, None, A.ORGANISER),
    move("add_agenda", BEFORE, None, A.ORGANISER),
    # 召开: attendance taken (出席 / 缺席 / 请假); corrected afterwards without changing the state
    move("hold", {S.PLANNED}, S.HELD, A.ORGANISER),
    move("record_attendance", {S.HELD}, None, A.ORGANISER),
    # 纪要与决定: each decision is a task with an owner and a limit in working days (its own clock)
    move("record_minutes", {S.HELD}, None, A.ORGANISER),
    move("decide", {S.HELD}, None, A.ORGANISER, clock=C.START),
    # 审定: the convenor signs the minutes off; the record is final, its tasks run on
    move("approve_minutes", {S.HELD}, S.CLOSED, A.CONVENOR),
    # The Word file of the minutes, kept with its digest, as often as asked once the meeting was held
    move("export_minutes", {S.HELD, S.CLOSED}, None, A.ORGANISER, A.CONVENOR),
    # 取消: before it sits, with a reason
    move("cancel", {S.PLANNED}, S.CANCELLED, A.ORGANISER),
]

ACTION_LABELS = {
    "create": "安排会议",
    "invite": "增加参会人员",
    "add_agenda": "增加议题",
    "hold": "召开会议（签到）",
    "record_attendance": "更正出席情况",
    "record_minutes": "记录会议纪要",
    "decide": "登记决定事项",
    "approve_minutes": "审定纪要",
    "export_minutes": "导出纪要（Word）",
    "cancel": "取消会议",
}


def state_label(status: str) -> str:
    return str(S(status).label)


MEETING = Workflow(name="meeting", state_label=state_label, action_labels=ACTION_LABELS, moves=TABLE)

T = TaskStatus


class TaskActor:
    """Who may take a step on one decision (`permissions.task_actor_kinds`)."""

    OWNER = "owner"  # the person named, or staff of the unit named when no person is
    ORGANISER = "organiser"  # an organiser of its meeting
    SYSTEM = "system"


TASK_TABLE: list[Move] = [
    # 办结: the owner reports what was done; the clock stops, on time or late
    move("complete", {T.OPEN}, T.DONE, TaskActor.OWNER, TaskActor.ORGANISER, clock=C.STOP),
    # 撤销: the meeting's organiser withdraws a decision overtaken by events, with a reason
    move("withdraw", {T.OPEN}, T.CANCELLED, TaskActor.ORGANISER, clock=C.STOP),
]
TASK_LABELS = {
    "complete": "办结",
    "withdraw": "撤销",
    "warn": "临近期限提醒",
    "overdue": "超期",
}
MEETING_TASK = Workflow(
    name="meeting_task",
    state_label=lambda s: str(TaskStatus(s).label),
    action_labels=TASK_LABELS,
    moves=TASK_TABLE,
)
