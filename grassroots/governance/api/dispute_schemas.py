"""The shapes of /api/v1/disputes (django-ninja): the list's query and items, the detail, and registration."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from ..choices import DisputeSource, DisputeStatus, DisputeType, PartyKind, PartySide, RiskLevel

MAX_PAGE = 200


class Out(BaseModel):
    """Plain pydantic: the list builds plain values (ninja's Schema would wrap each in a Django getter)."""


class DisputeListQuery(Schema):
    state: DisputeStatus | None = Field(None, description="纠纷状态，如 registered 已登记、mediating 调解中")
    village: int | None = Field(None, description="村社区 id")
    kind: DisputeType | None = Field(None, description="纠纷类型")
    risk: RiskLevel | None = Field(None, description="激化风险")
    source: DisputeSource | None = Field(None, description="纠纷来源")
    mine: bool = Field(False, description="只列本人调解的纠纷")
    q: str = Field("", max_length=100, description="按编号、纠纷简述或当事人全名查找")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class DisputeRefOut(Out):
    id: int
    name: str


class DisputePartyOut(Out):
    side: str
    kind: str
    name: str
    id_number: str
    phone: str
    address: str
    masked: bool


class DisputeClockOut(Out):
    name: str
    state: str
    due_at: dt.datetime | None
    light: str
    stopped_at: dt.datetime | None
    result: str


class DisputeListItemOut(Out):
    id: int
    title: str
    status: str
    status_label: str
    kind: str
    kind_label: str
    source: str
    risk_level: str
    village: DisputeRefOut
    committee: DisputeRefOut
    mediators: list[DisputeRefOut]
    parties: str = Field(description="当事人（自然人姓名打码）")
    due_at: dt.datetime | None = Field(description="正在计时的时限的到期时间")
    light: str = Field(description="时限灯：red 超期、yellow 预警（80%）、green 正常；空表示没有计时")
    outcome: str
    created_at: dt.datetime
    version: int


class DisputeListOut(Out):
    items: list[DisputeListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class DisputeSessionOut(Out):
    held_at: dt.datetime
    place: str
    attendees: str
    minutes: str
    mediators: list[DisputeRefOut]


class DisputeFollowUpOut(Out):
    visited_on: dt.date
    performance: str
    note: str


class DisputeDocumentOut(Out):
    id: int
    sha256: str
    size: int
    generated_at: dt.datetime
    url: str


class DisputeHistoryOut(Out):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: DisputeRefOut | None
    at: dt.datetime
    note: str
    data: dict[str, Any]


class DisputeDetailOut(DisputeListItemOut):
    facts: str
    referred_by: str
    party_list: list[DisputePartyOut] = Field(description="当事人（调解员和调委会可见全文，查看记入审计）")
    agreement_terms: str
    performance_manner: str
    performance_due_on: dt.date | None
    referral_route: str
    confirmation_applied_on: dt.date | None
    confirmation_court: str
    confirmation_result: str
    clocks: list[DisputeClockOut]
    sessions: list[DisputeSessionOut]
    follow_ups: list[DisputeFollowUpOut]
    documents: list[DisputeDocumentOut]
    history: list[DisputeHistoryOut]
    allowed_actions: list[str]


class DisputePartyIn(Schema):
    side: PartySide
    kind: PartyKind = PartyKind.PERSON
    name: str = Field(..., max_length=100)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    representative: str = Field("", max_length=50)


class DisputeOpenIn(Schema):
    village_id: int
    grid_id: int | None = None
    committee_id: int
    source: DisputeSource
    referred_by: str = Field("", max_length=100)
    event_id: int | None = None
    kind: DisputeType
    title: str = Field(..., max_length=200)
    facts: str = Field(..., max_length=8000)
    parties: list[DisputePartyIn]
    risk_level: RiskLevel = RiskLevel.LOW
    police_unit_id: int | None = None
