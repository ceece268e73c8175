"""The shapes of the joint-operations API (/api/v1/joint-operations). Every name the OpenAPI document shows starts
with `JointOperation`: the document keys schemas by class name, shared by all the apps' APIs. The steps' bodies are
named without it here; the endpoints put `JointOperation` before them (`Resource.schema_prefix`)."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from ..models.operations import OperationKind, OperationStatus

MAX_PAGE = 200
StatusName = Literal["planned", "ongoing", "finished", "cancelled"]
KindName = Literal["joint", "campaign"]


class JointOperationListQuery(Schema):
    status: StatusName | None = Field(
        None, description="计划中 planned、进行中 ongoing、已结束 finished、已取消 cancelled"
    )
    kind: KindName | None = Field(None, description="joint 联合执法、campaign 专项整治")
    unit: str = Field("", description="单位编码：该单位牵头或参与的行动")
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM：期间与该月有交集的行动")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class JointOperationPlaceIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    lon: float | None = Field(None, description="经度（WGS-84），与纬度同时填写或同时留空")
    lat: float | None = None


class JointOperationPlanTaskIn(Schema):
    unit_id: int = Field(..., description="责任单位（须为参与单位）")
    text: str = Field(..., min_length=1, max_length=300)


class JointOperationCreateIn(Schema):
    kind: KindName
    title: str = Field(..., min_length=1, max_length=200)
    lead_unit_id: int = Field(..., description="牵头单位：调用者须为其工作人员或负责人")
    unit_ids: list[int] = Field(default_factory=list, description="参与单位（牵头单位自动计入）")
    starts_on: dt.date
    ends_on: dt.date
    plan: str = Field("", max_length=5000, description="工作方案")
    entity_ids: list[int] = Field(default_factory=list, description="检查对象：市场主体 id")
    places: list[JointOperationPlaceIn] = Field(default_factory=list, description="重点区域（地点）")
    grid_ids: list[int] = Field(default_factory=list, description="涉及网格 id")
    tasks: list[JointOperationPlanTaskIn] = Field(default_factory=list, description="各单位任务分工")


# -- the steps' bodies (named JointOperation<Name> in the document) ---------------------------------------------


class EditIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_on: dt.date
    ends_on: dt.date
    plan: str = Field("", max_length=5000)
    unit_ids: list[int] = Field(default_factory=list, description="参与单位（整表替换；牵头单位自动计入）")
    entity_ids: list[int] = Field(default_factory=list)
    places: list[JointOperationPlaceIn] = Field(default_factory=list)
    grid_ids: list[int] = Field(default_factory=list)


class TaskIn(Schema):
    unit_id: int = Field(..., description="责任单位（须为参与单位）")
    text: str = Field(..., min_length=1, max_length=300)


class TaskRefIn(Schema):
    task_id: int


class TaskDoneIn(Schema):
    task_id: int
    done: bool = True
    notes: str = Field("", max_length=2000, description="完成情况")


class StartIn(Schema):
    pass


class ResultsIn(Schema):
    unit_id: int = Field(..., description="填报单位：调用者须为该单位工作人员或负责人")
    places_inspected: int = Field(..., ge=0, description="检查场所（户次）")
    problems_found: int = Field(..., ge=0, description="发现问题")
    cases_opened: int = Field(..., ge=0, description="立案查处（不多于发现问题）")
    rectified: int = Field(..., ge=0, description="整改到位（不多于发现问题）")
    note: str = Field("", max_length=2000, description="情况说明")


class LinkIn(Schema):
    workflow: Literal["event", "case", "inspection"] = Field(
        ..., description="event 事件、case 执法案件、inspection 监督检查"
    )
    object_id: int
    note: str = Field("", max_length=200)


class FinishIn(Schema):
    summary: str = Field("", max_length=5000, description="行动总结")


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


# -- answers ----------------------------------------------------------------------------------------------------


class JointOperationUnitRefOut(Schema):
    id: int
    code: str
    name: str


class JointOperationTotalsOut(Schema):
    places_inspected: int
    problems_found: int
    cases_opened: int
    rectified: int


class JointOperationListItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    lead_unit: JointOperationUnitRefOut
    starts_on: dt.date
    ends_on: dt.date
    created_at: dt.datetime
    version: int


class JointOperationListOut(Schema):
    items: list[JointOperationListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class JointOperationParticipantOut(JointOperationTotalsOut):
    unit: JointOperationUnitRefOut
    lead: bool
    results_note: str
    recorded_at: dt.datetime | None = Field(description="填报时间；为空表示尚未填报")


class JointOperationResultsOut(Schema):
    units: list[JointOperationParticipantOut]
    totals: JointOperationTotalsOut


class JointOperationTaskOut(Schema):
    id: int
    unit: JointOperationUnitRefOut
    text: str
    done: bool
    notes: str
    done_at: dt.datetime | None


class JointOperationPlaceOut(Schema):
    name: str
    lon: float | None
    lat: float | None


class JointOperationTargetOut(Schema):
    id: int
    code: str = Field(description="市场主体的统一社会信用代码，或网格代码")
    name: str


class JointOperationLinkOut(Schema):
    wording: str
    workflow: str
    object_id: int
    title: str
    note: str


class JointOperationDetailOut(JointOperationListItemOut):
    plan: str
    summary: str
    cancel_reason: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    entities: list[JointOperationTargetOut]
    places: list[JointOperationPlaceOut]
    grids: list[JointOperationTargetOut]
    tasks: list[JointOperationTaskOut]
    results: JointOperationResultsOut
    links: list[JointOperationLinkOut]
    allowed_actions: list[str] = Field(description="调用者现在可执行的步骤")


assert set(StatusName.__args__) == set(OperationStatus.values)  # type: ignore[attr-defined]
assert set(KindName.__args__) == set(OperationKind.values)  # type: ignore[attr-defined]
