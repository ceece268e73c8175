"""The shapes of the 双随机 API's answers, query string and bodies. Every schema name starts with `DrawPlan` or
`InspectionDraw`: the OpenAPI document keys schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

from grassroots.events.schemas import Ref

MAX_PAGE = 200
RiskLetter = Literal["A", "B", "C", "D"]


class DrawPlanListItemOut(Schema):
    id: int
    name: str
    status: str = Field(description="draft 草稿、frozen 已冻结、drawn 已抽取、published 已公示")
    status_label: str
    target_filter: str = Field(description="检查对象范围（说明）")
    rates: dict[str, str] = Field(description="各风险等级抽查比例（小数字符串，A 低 … D 高）")
    inspectors_per_target: int
    joint_key: str = Field(description="联合抽查批次：同一批次的计划对同一对象只检查一次")
    units: list[Ref] = Field(description="参与单位")
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(description="版本：步骤接口请求体的 version 用它")


class DrawPlanListOut(Schema):
    items: list[DrawPlanListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class DrawPlanListQuery(Schema):
    status: Literal["draft", "frozen", "drawn", "published"] | None = Field(None, description="计划状态")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class DrawPlanItemOut(Schema):
    """An entry of the 抽查事项清单 the plan checks."""

    id: int
    code: str
    name: str
    target_kind: str
    unit: Ref


class DrawPlanSnapshotOut(Schema):
    """The pools frozen for one draw: their digests and the seed commitment, published before the draw; the seed
    itself only once a draw has revealed it."""

    id: int
    sequence: int
    targets: int = Field(description="检查对象名录条数")
    inspectors: int = Field(description="执法人员名录条数")
    targets_digest: str = Field(description="检查对象名录 SHA-256")
    inspectors_digest: str = Field(description="执法人员名录 SHA-256")
    seed_hash: str = Field(description="种子承诺值：种子 32 字节的 SHA-256")
    seed: str | None = Field(description="种子（抽取后公开；之前为空）")
    frozen_at: dt.datetime
    frozen_by: str | None
    redraw_reason: str = Field(description="重新抽取理由（首轮为空）")
    redraw_approved_by: str | None
    drawn: bool


class InspectionDrawInspectorOut(Schema):
    """An inspector drawn for a target; name and certificate number are public in 双随机."""

    id: str
    name: str
    certificate_no: str
    unit: str


class InspectionDrawOut(Schema):
    id: int
    sequence: int
    current: bool = Field(description="现行抽取结果（未被重新抽取取代）")
    algorithm: str
    seed: str
    seed_hash: str
    targets_digest: str
    inspectors_digest: str
    inputs: dict[str, Any] = Field(description="抽取参数（rates, per_target, draw_date, previous, covered）")
    result: dict[str, Any] = Field(description="抽取结果（classes, targets, unassigned），见 docs/draws.md")
    inspectors: list[InspectionDrawInspectorOut] = Field(description="结果中出现的执法人员")
    data_url: str = Field(description="复核数据（公开，可据此重新运行算法）")
    drawn_at: dt.datetime
    drawn_by: str | None
    reason: str = Field(description="重新抽取理由")
    approved_by: str | None
    superseded_at: dt.datetime | None
    results_due_at: dt.datetime | None = Field(description="结果公示期限（抽取后 20 个工作日）")
    target_results: dict[str, str | None] = Field(
        description="各抽中对象（kind:id）已录入的检查结果；为空表示尚未录入（全部录入后才能公示）"
    )
    results_summary: str
    results_published_at: dt.datetime | None
    results_published_by: str | None


class DrawPlanDetailOut(DrawPlanListItemOut):
    items: list[DrawPlanItemOut]
    snapshots: list[DrawPlanSnapshotOut]
    draws: list[InspectionDrawOut]
    manages: bool = Field(description="当前用户可管理该计划（冻结、抽取、重新抽取、公示）")
    allowed_actions: list[str] = Field(description="当前用户此刻可尝试的步骤")


# -- bodies -------------------------------------------------------------------------------------------------


class DrawPlanCreateIn(Schema):
    """A new plan (草稿): its units, items, the target filter and the rate per risk class."""

    name: str = Field(..., min_length=1, max_length=200, title="计划名称")
    unit_ids: list[int] = Field(..., min_length=1, title="参与单位")
    item_ids: list[int] = Field(default_factory=list, title="抽查事项")
    target_filter: str = Field("", max_length=2000, title="检查对象范围（说明）")
    rates: dict[RiskLetter, Decimal] | None = Field(
        None,
        title="各风险等级抽查比例",
        description='0 到 1 的小数，如 {"A": "0.01", "D": "1"}；给出时未列出的等级按 0；不填用默认比例',
    )
    inspectors_per_target: int = Field(2, ge=2, le=20, title="每个对象执法人员数")
    joint_key: str = Field("", max_length=40, title="联合抽查批次")

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("请填写计划名称")
        return value.strip()


class DrawPlanStepIn(Schema):
    version: int | None = Field(
        None,
        title="计划版本",
        description="可选：客户端所见的计划版本；与当前版本不符时返回 409 stale_draw_plan",
    )


class DrawPlanRedrawIn(DrawPlanStepIn):
    reason: str = Field(..., min_length=1, max_length=1000, title="重新抽取理由")
    approver_id: int = Field(
        ..., title="批准人", description="可管理该计划的另一人员（不能是本人或上次抽取人）"
    )


class DrawPlanPublishIn(DrawPlanStepIn):
    summary: str = Field(..., min_length=1, max_length=5000, title="检查结果")
