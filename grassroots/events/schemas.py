"""The events API's request and response shapes (django-ninja). One small In schema per loop action."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from grassroots.org.choices import PlatformKind

from .choices import Mode, Source, SupervisionKind, SupervisionReason, SuspensionKind, Urgency
from .selectors import MAX_PAGE, Light

# -- errors -------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error: a stable code, a message in Chinese, and details (field errors, ids) where useful."""

    code: str
    message: str
    details: Any = None


# -- event types --------------------------------------------------------------------------------------------


class TimeLimitOut(Schema):
    level: int
    amount: float
    unit: str


class EventTypeOut(Schema):
    code: str
    name: str
    platform: str
    grid_class: str
    parent: str | None
    default_level: int
    self_fixable: bool
    limits: list[TimeLimitOut]
    children: list["EventTypeOut"] = []


# -- shared pieces ------------------------------------------------------------------------------------------


class Ref(Schema):
    """An object named in an answer: its id and a label to show."""

    id: int
    name: str


class EventRef(Schema):
    id: int
    number: str | None
    title: str
    status: str
    reported_at: dt.datetime


class EventListItemOut(Schema):
    id: int
    number: str | None
    title: str
    status: str
    status_label: str
    source: str
    event_type: str = Field(description="分类代码")
    event_type_name: str
    platform: str
    level: int
    mode: str
    urgency: str
    address: str
    grid: str | None = Field(description="网格代码")
    village: str | None
    township: str | None
    holder_unit: Ref | None
    reported_at: dt.datetime
    stage_started_at: dt.datetime | None
    warn_at: dt.datetime | None
    deadline: dt.datetime | None
    light: Light | None = Field(description="本阶段时限灯；无计时时为空")
    overdue: bool
    joint: bool
    extended: bool
    rework_count: int
    return_count: int
    version: int


class EventListQuery(Schema):
    """The list's query string. Times are ISO 8601; without an offset they are Beijing time."""

    status: str = Field("", description="状态，逗号分隔，如 dispatched,signed")
    level: int | None = Field(None, ge=1, le=4)
    platform: PlatformKind | None = None
    type: str = Field("", description="分类代码；大类包含其小类")
    grid: str = Field("", description="网格代码（14 位）")
    village: str = Field("", description="村社区代码（12 位）")
    township: str = Field("", description="乡镇街道代码（9 位）")
    unit: int | None = Field(None, description="单位 id：当前责任单位或曾被派遣的单位")
    light: str = Field("", description="green、yellow 或 red")
    overdue: bool | None = None
    reported_from: dt.datetime | None = Field(None, alias="from", description="上报时间起（含）")
    reported_to: dt.datetime | None = Field(None, alias="to", description="上报时间止（含）")
    q: str = Field("", max_length=100, description="搜索编号、标题、描述、地址")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class EventListOut(Schema):
    items: list[EventListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class ReporterOut(Schema):
    """The reporter as this viewer may see them (masked by role; always masked for handling units)."""

    name: str
    phone: str
    email: str
    anonymous: bool
    masked: bool


class TransitionOut(Schema):
    seq: int
    at: dt.datetime
    action: str
    action_label: str
    from_status: str
    to_status: str
    level: int
    actor: str | None
    unit: str | None
    note: str
    elapsed_seconds: int = Field(description="距上一步的工作时间（秒）")
    elapsed: str = Field(description="距上一步的工作时间，如“1小时20分”")
    data: dict[str, Any]


class AssignmentOut(Schema):
    id: int
    unit: Ref
    role: str
    status: str
    round: int
    level: int
    mode: str
    dispatched_at: dt.datetime
    warn_at: dt.datetime
    deadline: dt.datetime
    light: Light | None
    signed_at: dt.datetime | None
    fed_back_at: dt.datetime | None
    feedback: str
    returned_at: dt.datetime | None
    return_reason: str
    extended: bool
    overdue: bool


class SupervisionOrderOut(Schema):
    id: int
    kind: str
    reason: str
    unit: Ref | None
    issued_by: str | None
    issued_at: dt.datetime
    deadline: dt.datetime
    note: str
    resolved_at: dt.datetime | None


class ExtensionRequestOut(Schema):
    id: int
    assignment_id: int
    unit: Ref
    days: float
    reason: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class SuspensionOut(Schema):
    """A request to suspend (挂起) and, once approved, the pause of the event's clock."""

    id: int
    assignment_id: int
    unit: Ref
    kind: str
    reason: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    paused_deadline: dt.datetime | None = Field(description="挂起时的本阶段期限；恢复后顺延暂停的时长")
    paused_seconds: int = Field(description="暂停计时的时长（工作秒；自然日时限为秒）")


class AttachmentOut(Schema):
    id: int
    url: str
    kind: str
    phase: str
    content_type: str
    size: int
    original_name: str
    uploaded_at: dt.datetime


class EventDetailOut(EventListItemOut):
    description: str
    lon: float | None
    lat: float | None
    outside_grid: bool
    reporter: ReporterOut
    first_receiver: str | None
    verifier: str | None
    merged_into: EventRef | None
    satisfaction: int | None
    route: str = Field(description="分流路径（见 docs/routing.md）；leaders 为等待领导研判")
    route_label: str
    route_note: str = Field(description="领导研判意见")
    leader: str | None = Field(description="责任领导（研判或督办）")
    feedback: "FeedbackOut"
    reopen_count: int
    escalation_count: int
    leader_flagged: bool
    registered_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    fed_back_at: dt.datetime | None
    closed_at: dt.datetime | None
    archived_at: dt.datetime | None
    due_at: dt.datetime | None
    history: list[TransitionOut]
    assignments: list[AssignmentOut]
    supervision_orders: list[SupervisionOrderOut]
    extension_requests: list[ExtensionRequestOut]
    suspensions: list[SuspensionOut]
    attachments: list[AttachmentOut]
    merged_events: list[EventRef]
    allowed_actions: list[str] = Field(description="当前用户按流转表可执行的动作")


class FeedbackOut(Schema):
    """双反馈: the result to the command room and to the reporter; closing waits for both."""

    command_at: dt.datetime | None = Field(description="结果反馈指挥室的时间")
    reporter_at: dt.datetime | None = Field(description="结果反馈反映人的时间")
    reporter_declined: bool
    missing: list[str] = Field(description="尚缺的反馈：command、reporter；为空时可结案")


class ReportOut(Schema):
    created: bool = Field(description="false：同一幂等键的重复提交，返回首次创建的事件")
    event: EventListItemOut = Field(description="事件摘要；完整信息（流转记录等）见 GET /events/{id}")
    possible_duplicates: list[EventRef] = Field(description="疑似重复的未办结事件，可供合并")


# -- report -------------------------------------------------------------------------------------------------


class EventReportIn(Schema):
    """A report. As JSON, or as multipart/form-data with the same fields plus photos/audio in `files`."""

    event_type: str = Field(description="事件分类代码（小类），如 ZF0101", max_length=16)
    source: Source | None = Field(None, description="来源；默认网格员为巡查，其他人员为工作人员录入")
    title: str = Field(max_length=200)
    description: str = ""
    lon: float | None = Field(None, description="经度（WGS-84）")
    lat: float | None = Field(None, description="纬度（WGS-84）")
    address: str = Field("", max_length=300)
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    reporter_email: str = Field("", max_length=254)
    anonymous: bool = False
    urgency: Urgency = Urgency.NORMAL
    idempotency_key: str | None = Field(
        None, max_length=64, description="也可用请求头 Idempotency-Key；同一账号同一键只创建一次"
    )


# -- actions ------------------------------------------------------------------------------------------------


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(min_length=1)


class SelfHandleIn(Schema):
    note: str = ""


class VerifyIn(Schema):
    """From REPORTED: name the grid worker who checks on site. From VERIFYING: record what they found."""

    verifier_id: int | None = None
    valid: bool | None = None
    note: str = ""


class RegisterIn(Schema):
    mode: Mode | None = None
    note: str = ""


class DispatchIn(Schema):
    lead_unit_id: int
    assist_unit_ids: list[int] = []
    mode: Mode = Mode.ASSIGNED
    note: str = ""
    route: str | None = Field(
        None, description="分流路径 platform / platform_units / joint；省略时按所选单位判定"
    )
    leader_id: int | None = Field(
        None, description="督办的责任领导（办理方式为督办时必填，已研判的默认研判领导）"
    )


class SettleIn(Schema):
    note: str = Field(min_length=1, description="答复或办理结果")


class DecideRouteIn(Schema):
    route: str = Field(description="领导决定的分流路径（见 docs/routing.md）")
    note: str = Field(min_length=1, description="研判意见")


class InformReporterIn(Schema):
    declined: bool = Field(False, description="反映人谢绝联系")
    note: str = Field("", description="反馈方式和告知的办理结果（未谢绝时必填）")


class ExtensionRequestIn(Schema):
    days: Decimal = Field(ge=Decimal("0.5"), le=Decimal(30), description="延长的工作日数，0.5–30")
    reason: str = Field(min_length=1)


class ExtensionDecisionIn(Schema):
    request_id: int
    approve: bool
    note: str = ""


class SuspensionRequestIn(Schema):
    kind: SuspensionKind = Field(description="挂起事由")
    reason: str = Field(min_length=1)


class SuspensionDecisionIn(Schema):
    suspension_id: int
    approve: bool
    note: str = ""


class FeedBackIn(Schema):
    feedback: str = Field(min_length=1)


class CheckIn(Schema):
    """From FED_BACK without a result: send `checker_id`. With `passed`: record the check (fail needs a note)."""

    checker_id: int | None = None
    passed: bool | None = None
    note: str = ""


class CallbackIn(Schema):
    satisfaction: int | None = Field(None, ge=1, le=5, description="1 非常不满意 … 5 非常满意")
    reached: bool = True
    note: str = ""


class EscalateIn(Schema):
    reason: str = Field(min_length=1)
    direction: Literal["up", "down"] = "up"


class SuperviseIn(Schema):
    kind: SupervisionKind = SupervisionKind.SUPERVISE
    reason: SupervisionReason = SupervisionReason.LEADER
    days: Decimal = Field(Decimal(1), gt=0, le=30, description="督办期限（工作日）")
    note: str = ""


class MergeIn(Schema):
    into_id: int = Field(description="合并到的主事件 id")
    note: str = ""
