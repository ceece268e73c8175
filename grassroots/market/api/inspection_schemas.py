"""The shapes of the inspections API (/api/v1/inspections). Every name starts with `Inspection`: the OpenAPI
document keys schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from ..choices import InspectionKind, InspectionStatus

MAX_PAGE = 200
StatusName = Literal["assigned", "rectifying", "closed", "cancelled"]
KindName = Literal["routine", "complaint", "campaign", "random"]


class InspectionListQuery(Schema):
    status: StatusName | None = Field(
        None, description="待检查 assigned、整改中 rectifying、已办结 closed、已取消 cancelled"
    )
    kind: KindName | None = Field(
        None, description="routine 日常、complaint 投诉举报核查、campaign 专项、random 双随机"
    )
    mine: bool = Field(False, description="true：只列出本人为检查人员的检查")
    entity: int | None = Field(None, description="市场主体 id")
    draw: int | None = Field(None, description="抽取记录 id（双随机）")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class InspectionEntityOut(Schema):
    id: int
    uscc: str
    name: str
    address: str
    risk_class: str


class InspectionPersonOut(Schema):
    id: int
    name: str


class InspectionItemOut(Schema):
    id: int
    code: str
    name: str
    checklist: list[str] = Field(description="检查要点：录入检查结果时每一项都须填写")


class InspectionListItemOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    entity: InspectionEntityOut
    unit: str
    due_on: dt.date | None
    inspected_at: dt.datetime | None
    conclusion: str
    created_at: dt.datetime
    version: int


class InspectionListOut(Schema):
    items: list[InspectionListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class InspectionFindingOut(Schema):
    id: int
    item_id: int | None
    description: str
    status: str
    rectify_by: dt.date
    rectified_at: dt.datetime | None
    late: bool
    rechecks: int


class InspectionPhotoOut(Schema):
    id: int
    stage: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class InspectionPenaltyOut(Schema):
    id: int
    decision_no: str
    kind: str
    procedure: str
    amount: Decimal
    legal_basis: str
    decided_on: dt.date


class InspectionCheckOut(Schema):
    item: int
    point: str
    result: str
    note: str = ""


class InspectionDetailOut(InspectionListItemOut):
    inspectors: list[InspectionPersonOut]
    items: list[InspectionItemOut]
    campaign: str
    draw_id: int | None
    event_id: int | None
    summary: str
    cancel_reason: str
    checklist: list[InspectionCheckOut]
    findings: list[InspectionFindingOut]
    photos: list[InspectionPhotoOut]
    penalties: list[InspectionPenaltyOut]
    allowed_actions: list[str] = Field(description="调用者现在可执行的步骤")


class InspectionArrangeIn(Schema):
    entity_id: int
    kind: Literal["routine", "complaint", "campaign"] = Field(..., description="双随机检查只由抽取产生")
    inspector_ids: list[int] = Field(
        ..., min_length=1, description="检查人员（须在执法人员名录库且执法证有效）"
    )
    item_ids: list[int] = Field(default_factory=list, description="检查事项")
    due_on: dt.date | None = None
    campaign: str = Field("", max_length=100, description="专项行动名称（专项检查必填）")
    event_id: int | None = Field(None, description="投诉举报事件 id（投诉举报核查必填）")
    note: str = Field("", max_length=2000)


assert set(StatusName.__args__) == set(InspectionStatus.values)  # type: ignore[attr-defined]
assert set(KindName.__args__) == set(InspectionKind.values)  # type: ignore[attr-defined]
