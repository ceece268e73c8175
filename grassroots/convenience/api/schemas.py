"""The shapes of the convenience-service API's answers and of its query strings and intake bodies (the steps' bodies
are `convenience/schemas.py`, shared with the pages)."""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from grassroots.events.schemas import Ref

from ..choices import ApplicantKind, TownshipType
from ..schemas import MissingIn

MAX_PAGE = 200

# -- service items ------------------------------------------------------------------------------------------


class MaterialOut(Schema):
    id: int
    order: int
    name: str
    form: str = Field(description="original 原件、copy 复印件、both 原件及复印件、electronic 电子件")
    form_label: str
    count: int
    need: str = Field(description="required 必需、conditional 视情形提供、tolerated 可容缺")
    need_label: str
    note: str
    sample: str


class ServiceItemOut(Schema):
    code: str
    version: int
    name: str
    kind: str = Field(description="事项类型：XK 许可、QR 确认、JF 给付、GG 公共服务……")
    kind_label: str
    department: str
    deciding_level: str
    limit_unit: str
    statutory_limit: float | None = Field(description="法定时限")
    promised_limit: float | None = Field(description="承诺时限（不长于法定时限）")
    required_visits: int = Field(description="到现场次数")
    at_most_once: bool = Field(description="最多跑一次")
    zero_visit: bool = Field(description="零跑腿")
    no_meeting: bool = Field(description="不见面审批")
    in_central: bool = Field(description="列入中心镇（街道）清单")
    in_developing: bool = Field(description="列入发展型乡镇清单")
    in_ecological: bool = Field(description="列入生态型乡镇清单")
    at_village: bool = Field(description="村级可办（代办）")
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None


class ServiceItemDetailOut(ServiceItemOut):
    status: str = Field(description="版本状态：published 已发布、retired 已停用")
    office_suffix: str
    legal_basis: str
    conditions: str
    procedure: str
    fee: str
    channels: list[str]
    windows: str
    keywords: str
    materials: list[MaterialOut]


class ServiceItemListOut(Schema):
    items: list[ServiceItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class ServiceItemQuery(Schema):
    township_type: TownshipType | None = Field(None, description="只列该类型乡镇清单上的事项")
    village: bool | None = Field(None, description="true：只列村级可办的事项")
    kind: str = Field("", max_length=4, description="事项类型代码，如 XK")
    q: str = Field("", max_length=100, description="搜索代码、名称、关键词")
    at_most_once: bool | None = Field(None, description="最多跑一次")
    zero_visit: bool | None = Field(None, description="零跑腿")
    no_meeting: bool | None = Field(None, description="不见面审批")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


# -- applications -------------------------------------------------------------------------------------------


class ItemRef(Schema):
    code: str
    version: int
    name: str


class ApplicantOut(Schema):
    """The applicant as this viewer may see them: the centre's clerks and the command room in full (the read is
    audited), everyone else masked."""

    kind: str
    name: str
    phone: str
    id_number: str
    masked: bool


class ApplicationListItemOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    channel: str
    item: ItemRef
    centre: Ref
    region_code: str = Field(description="乡镇代码，代办件为村社区代码")
    applicant: ApplicantOut
    subject: str
    handler: str | None = Field(description="当前经办人")
    created_at: dt.datetime
    received_at: dt.datetime | None
    accepted_at: dt.datetime | None
    decided_at: dt.datetime | None
    delivered_at: dt.datetime | None
    closed_at: dt.datetime | None
    due_at: dt.datetime | None = Field(description="承诺办结时间；计时暂停或停止时为空")
    late: bool = Field(description="超期")
    visits: int = Field(description="申请人到现场次数")
    result: str
    updated_at: dt.datetime
    version: int = Field(description="版本：步骤接口的 If-Match 用它")


class ApplicationListOut(Schema):
    items: list[ApplicationListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class ApplicationListQuery(Schema):
    """The list's query string. Times are ISO 8601; without an offset they are Beijing time."""

    status: str = Field("", description="状态，逗号分隔，如 received,correcting")
    item: str = Field("", max_length=32, description="事项代码（各版本）")
    region: str = Field("", pattern=r"^\d{0,14}$", description="区域代码前缀：乡镇 9 位、村社区 12 位")
    late: bool | None = Field(None, description="超期")
    since: dt.datetime | None = Field(None, description="只列此时刻（含）以后有变化的办件（updated_at）")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class MaterialStateOut(Schema):
    id: int
    name: str
    need: str
    received: bool
    pending: bool = Field(description="容缺：申请人书面承诺限期补交")


class HistoryOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str | None
    note: str
    data: dict[str, Any]


class NoticeOut(Schema):
    """一次性告知书."""

    id: int
    number: str
    items: list[dict[str, Any]]
    note: str
    supply_by: dt.date
    issued_at: dt.datetime
    issued_by: str | None
    supplied_at: dt.datetime | None


class VisitOut(Schema):
    kind: str
    kind_label: str
    at: dt.datetime
    recorded_by: str | None


class RatingOut(Schema):
    grade: int = Field(description="5 非常满意 … 1 非常不满意")
    grade_label: str
    channel: str
    comment: str
    at: dt.datetime


class RectificationOut(Schema):
    id: int
    status: str
    status_label: str
    version: int = Field(description="版本：整改步骤接口的 If-Match 用它")
    owner: str | None
    created_at: dt.datetime
    due_at: dt.datetime | None
    contacted_at: dt.datetime | None
    contact_note: str
    rectified_at: dt.datetime | None
    measures: str
    review: str
    closed_at: dt.datetime | None
    late: bool
    allowed_actions: list[str]


class ApplicationDetailOut(ApplicationListItemOut):
    applicant_kind: str
    window: str | None
    first_clerk: str | None = Field(description="首问责任人")
    handling_unit: Ref | None
    agent: str | None = Field(description="代办员")
    entrustment: str
    materials: list[MaterialStateOut]
    decision_note: str
    refusal_reason: str
    appeal_route: str
    delivery_method: str
    tracking_number: str
    history: list[HistoryOut]
    notices: list[NoticeOut]
    visit_log: list[VisitOut]
    rating: RatingOut | None
    rectification: RectificationOut | None
    allowed_actions: list[str] = Field(description="按流转表，当前用户此刻可尝试的步骤")


class ApplyIn(Schema):
    """一窗受理: the item, the applicant and the materials check; missing materials give the one-time notice."""

    item: str = Field(..., min_length=1, max_length=32, title="事项代码")
    applicant_kind: ApplicantKind = Field(ApplicantKind.PERSON, title="申请人类型")
    applicant_name: str = Field(..., min_length=1, max_length=100, title="申请人（单位）名称")
    applicant_phone: str = Field("", max_length=20, title="联系电话")
    applicant_id_number: str = Field("", max_length=18, title="身份证号码或统一社会信用代码")
    subject: str = Field("", max_length=300, title="申请内容")
    window_id: int | None = Field(None, title="受理窗口")
    channel: Literal["window", "online", "phone", "mail"] = Field("window", title="受理渠道")
    materials_received: list[int] = Field(default_factory=list, title="已收材料")
    materials_pending: list[int] = Field(default_factory=list, title="容缺材料（须为可容缺材料）")
    other_missing: list[MissingIn] = Field(default_factory=list, title="清单外需补正的事项")
    reject_reason: str = Field("", max_length=2000, title="不予受理理由（填写即不予受理）")
    note: str = Field("", max_length=2000, title="说明")


class ForwardIn(Schema):
    """代办: a village agent takes in an item on the resident's written entrustment."""

    item: str = Field(..., min_length=1, max_length=32, title="事项代码")
    applicant_name: str = Field(..., min_length=1, max_length=100, title="申请人")
    applicant_phone: str = Field("", max_length=20, title="联系电话")
    applicant_id_number: str = Field("", max_length=18, title="身份证号码")
    subject: str = Field("", max_length=300, title="申请内容")
    entrustment: str = Field(..., min_length=1, max_length=200, title="委托书（编号或说明）")
    materials_received: list[int] = Field(default_factory=list, title="已收材料")
