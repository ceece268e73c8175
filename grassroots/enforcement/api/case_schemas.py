"""The shapes of the enforcement cases API (/api/v1/enforcement-cases). Every name starts with `EnforcementCase`:
the OpenAPI document keys schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from ..choices import CaseSource, CaseStatus, PartyKind

MAX_PAGE = 200


class Out(BaseModel):
    """An answer's shape as plain pydantic: the list builds plain values, and ninja's `Schema` would wrap each nested
    object in its Django getter on validation (a quarter of the list's time at 200 rows)."""


StatusName = Literal[
    "lead",
    "filing",
    "not_filed",
    "investigating",
    "reviewing",
    "reviewed",
    "notified",
    "hearing",
    "heard",
    "discussed",
    "decided",
    "served",
    "executed",
    "closed",
    "archived",
]
SourceName = Literal["event", "inspection", "complaint", "transfer", "patrol"]
PartyKindName = Literal["person", "organisation"]


class EnforcementCaseListQuery(Schema):
    state: StatusName | None = Field(None, description="案件状态，如 lead 线索核查、investigating 调查取证")
    unit: int | None = Field(None, description="办案单位 id")
    officer: int | None = Field(None, description="承办执法人员 id（人员 id）")
    q: str = Field("", max_length=100, description="按案号、决定书文号、案发地点或单位当事人名称查找")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class EnforcementCasePersonOut(Out):
    id: int
    name: str


class EnforcementCaseUnitOut(Out):
    id: int
    code: str
    name: str


class EnforcementCasePowerOut(Out):
    code: str
    name: str
    basis: str = ""
    penalty_basis: str = ""


class EnforcementCasePartyOut(Out):
    kind: str
    kind_label: str
    name: str
    id_number: str = Field(description="身份证号或统一社会信用代码；非办案人员看到的公民身份号码已打码")
    phone: str = ""
    masked: bool = Field(description="true：姓名、身份证号和电话已按角色打码")


class EnforcementCaseClockOut(Out):
    name: str = Field(
        description="lead 线索核查、case 办案期限、hearing_request 申请听证、service 送达、payment 缴款"
    )
    label: str
    state: str = Field(description="running 计时中、paused 暂停（听证）、stopped 已停止")
    started_at: dt.datetime
    due_at: dt.datetime | None = Field(description="到期时间；暂停期间为空，恢复后顺延")
    paused: bool
    late: bool = Field(description="已超过时限")
    light: str = Field(description="green 正常、yellow 已用去八成、red 超期；已停止的为空字符串")
    extended: bool
    limit_source: str
    stopped_at: dt.datetime | None
    result: str


class EnforcementCaseListItemOut(Out):
    id: int
    number: str = Field(description="案号（立案后编号）；线索为空字符串")
    decision_number: str
    status: str
    status_label: str
    procedure: str
    procedure_label: str
    major: bool
    source: str
    source_label: str
    unit: EnforcementCaseUnitOut
    power: EnforcementCasePowerOut
    party: EnforcementCasePartyOut = Field(description="列表中公民当事人一律打码；详情按角色显示")
    place: str
    officers: list[EnforcementCasePersonOut]
    clock: EnforcementCaseClockOut | None = Field(description="当前正在计时（或暂停）的时限")
    penalty_kind: str
    decided_amount: Decimal | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class EnforcementCaseListOut(Out):
    items: list[EnforcementCaseListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class EnforcementCaseEvidenceOut(Out):
    id: int
    kind: str
    kind_label: str
    description: str
    content_type: str
    size: int
    sha256: str = Field(description="文件的 SHA-256 摘要；笔录摘要为空字符串")
    original_name: str
    lon: float | None
    lat: float | None
    taken_at: dt.datetime
    taken_by: EnforcementCasePersonOut
    added_at: dt.datetime


class EnforcementCaseDocumentOut(Out):
    id: int
    kind: str
    kind_label: str
    number: str
    size: int
    sha256: str
    generated_at: dt.datetime
    url: str = Field(description="下载 .docx 文件的地址（办案人员可下载，下载记入审计）")


class EnforcementCaseHistoryOut(Out):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: EnforcementCasePersonOut | None
    at: dt.datetime
    note: str
    data: dict[str, Any]


class EnforcementCaseDetailOut(EnforcementCaseListItemOut):
    party_representative: str
    party_address: str
    event_id: int | None
    inspection_id: int | None
    market_entity_id: int | None
    lon: float | None
    lat: float | None
    occurred_on: dt.date | None
    facts: str
    filing_requested_at: dt.datetime | None
    filed_at: dt.datetime | None
    no_filing_ground: str
    no_filing_reason: str
    discretion_level: str
    proposed_amount: Decimal | None
    proposal_reason: str
    notified_kind: str
    notified_amount: Decimal | None
    notified_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_opinion: str
    hearing_requested_at: dt.datetime | None
    hearing_notice_on: dt.date | None
    hearing_on: dt.date | None
    hearing_place: str
    hearing_chair: EnforcementCasePersonOut | None
    hearing_held_at: dt.datetime | None
    hearing_party_absent: bool
    hearing_record: str
    discussed_at: dt.datetime | None
    discussion: str
    outcome: str
    discretion_reason: str
    decided_at: dt.datetime | None
    served_at: dt.datetime | None
    service_method: str
    service_recipient: str
    payment_due_on: dt.date | None
    executed_at: dt.datetime | None
    execution_manner: str
    paid_amount: Decimal | None
    late_fee: Decimal | None
    closed_at: dt.datetime | None
    close_report: str
    archived_at: dt.datetime | None
    clocks: list[EnforcementCaseClockOut] = Field(description="本案的全部时限（含已停止的），先开始的在前")
    evidence: list[EnforcementCaseEvidenceOut]
    documents: list[EnforcementCaseDocumentOut]
    history: list[EnforcementCaseHistoryOut]
    allowed_actions: list[str] = Field(description="调用者现在可执行的步骤")


class EnforcementCaseOpenIn(Schema):
    unit_id: int | None = Field(None, description="办案单位 id；不填则为本人所在单位")
    power_code: str = Field(
        ..., min_length=1, max_length=32, description="执法职权编码（已公布的行政处罚职权）"
    )
    source: SourceName = Field(
        ..., description="event 事件转办、inspection 监督检查、complaint、transfer、patrol"
    )
    event_id: int | None = Field(None, description="来源事件 id（事件转办必填，按事件预填案情和地点）")
    inspection_id: int | None = Field(None, description="来源检查 id（监督检查必填，按检查预填当事人和案情）")
    party_kind: PartyKindName | None = Field(None, description="person 公民、organisation 法人或其他组织")
    party_name: str = Field("", max_length=200)
    party_id_number: str = Field("", max_length=18, description="身份证号或统一社会信用代码")
    party_representative: str = Field("", max_length=50)
    party_phone: str = Field("", max_length=20)
    party_address: str = Field("", max_length=300)
    officer_ids: list[int] = Field(..., min_length=1, description="承办执法人员（不少于两人，执法证有效）")
    facts: str = Field("", max_length=8000, description="案情；来自事件或检查时可不填")
    place: str = Field("", max_length=300)
    lon: float | None = None
    lat: float | None = None
    occurred_on: dt.date | None = None
    major: bool = Field(False, description="重大案件（须法制审核和集体讨论）")
    note: str = Field("", max_length=2000)


assert set(StatusName.__args__) == set(CaseStatus.values)  # type: ignore[attr-defined]
assert set(SourceName.__args__) == set(CaseSource.values)  # type: ignore[attr-defined]
assert set(PartyKindName.__args__) == set(PartyKind.values)  # type: ignore[attr-defined]
