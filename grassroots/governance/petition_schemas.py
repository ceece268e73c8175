"""The shapes of the petitions API (/api/v1/petitions) and its steps' bodies. Every name starts with `Petition`: the
OpenAPI document keys schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

MAX_PAGE = 200
StatusName = Literal[
    "registered",
    "accepted",
    "not_accepted",
    "transferred",
    "returned",
    "joined",
    "answered",
    "reviewing",
    "reviewed",
    "rechecking",
    "closed",
]
ChannelName = Literal["online", "letter", "phone", "fax", "visit"]
KindName = Literal["suggestion", "accusation", "claim"]
OutcomeName = Literal["support", "explain", "not_support"]


class PetitionListQuery(Schema):
    state: StatusName | None = Field(None, description="信访件状态，如 registered 已登记、accepted 已受理")
    channel: ChannelName | None = Field(None, description="信访形式")
    kind: KindName | None = Field(None, description="信访事项类别")
    light: Literal["green", "yellow", "red"] | None = Field(None, description="时限灯")
    q: str = Field("", max_length=100, description="按信访事项查找")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class PetitionPersonOut(BaseModel):
    id: int
    name: str


class PetitionClockOut(BaseModel):
    name: str
    label: str
    state: str
    started_at: dt.datetime
    due_at: dt.datetime | None
    light: str
    late: bool
    extended: bool
    limit_source: str
    stopped_at: dt.datetime | None
    result: str


class PetitionPetitionerOut(BaseModel):
    position: int
    name: str
    id_number: str
    phone: str
    address: str
    masked: bool


class PetitionListItemOut(BaseModel):
    id: int
    status: StatusName
    status_label: str
    channel: ChannelName
    channel_label: str
    kind: KindName
    kind_label: str
    title: str
    township: str
    village: str
    unit: str
    people_count: int
    leader: PetitionPersonOut | None
    clock: PetitionClockOut | None
    received_at: dt.datetime
    updated_at: dt.datetime
    version: int


class PetitionListOut(BaseModel):
    items: list[PetitionListItemOut]
    next: str | None


class PetitionDocumentOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    size: int
    sha256: str
    generated_at: dt.datetime


class PetitionHistoryOut(BaseModel):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: PetitionPersonOut | None
    at: dt.datetime
    note: str
    data: dict[str, Any]


class PetitionDetailOut(PetitionListItemOut):
    content: str
    transferred_from: str
    transferred_to: str
    decision_reason: str
    joined_into: int | None
    extended_days: int
    outcome: str
    answer_text: str
    review_outcome: str
    review_text: str
    recheck_outcome: str
    recheck_text: str
    closed_at: dt.datetime | None
    petitioners: list[PetitionPetitionerOut]
    clocks: list[PetitionClockOut]
    documents: list[PetitionDocumentOut]
    history: list[PetitionHistoryOut]
    allowed_actions: list[str]


class PetitionPetitionerIn(Schema):
    name: str = Field(..., max_length=50)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=300)


class PetitionOpenIn(Schema):
    unit_id: int | None = Field(None, description="信访工作机构 id（默认本人所在机构）")
    village_id: int | None = Field(None, description="村社区 id")
    channel: ChannelName
    kind: KindName
    title: str = Field(..., max_length=200)
    content: str
    petitioners: list[PetitionPetitionerIn] = Field(..., description="信访人；走访的代表不超过 5 人")
    people_count: int | None = Field(None, ge=1, le=9999)
    received_at: dt.datetime | None = None
    transferred_from: str = Field("", max_length=100, description="转送（交办）机关")
    event_id: int | None = Field(None, description="来源事件 id")
    dispute_id: int | None = Field(None, description="关联的矛盾纠纷 id")


# -- the steps' bodies --------------------------------------------------------------------------------------


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class LeaderIn(NoteIn):
    leader_id: int = Field(..., description="包案领导（人员 id）")


class AcceptIn(NoteIn):
    leader_id: int | None = Field(None, description="同时确定包案领导（可选）")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class TransferIn(Schema):
    to: str = Field(..., max_length=100, description="有权处理的机关")
    reason: str = Field("", max_length=2000)


class JoinIn(NoteIn):
    into_id: int = Field(..., description="已受理的同一信访事项 id")


class ExtendIn(Schema):
    days: int = Field(..., description="延长天数（不超过 30 日）")
    reason: str = Field(..., max_length=2000)


class OpinionIn(Schema):
    outcome: OutcomeName
    text: str = Field(..., max_length=5000, description="意见书的事实、依据和理由")


class RequestIn(NoteIn):
    requested_on: dt.date | None = Field(None, description="信访人提出请求的日期（默认今天）")


class CloseIn(NoteIn):
    satisfied: bool = Field(False, description="信访人表示满意（请求期限未满也可办结）")
