"""The platform's request shapes (django-ninja): one small In schema per step of an application."""

from typing import Literal

from ninja import Schema
from pydantic import Field

from grassroots.workflow.choices import PauseKind


class NoteIn(Schema):
    note: str = Field("", max_length=2000, title="说明")


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, title="理由")


class ReceiveIn(Schema):
    window_id: int | None = Field(None, title="窗口")
    note: str = Field("", max_length=2000, title="说明")


class AcceptIn(Schema):
    pending_material_ids: list[int] = Field(default_factory=list, title="容缺材料")
    note: str = Field("", max_length=2000, title="说明")


class MissingIn(Schema):
    material_id: int | None = Field(None, title="材料")
    name: str = Field(..., min_length=1, max_length=200, title="材料名称")
    reason: str = Field("", max_length=200, title="需补正的原因")


class CorrectionIn(Schema):
    items: list[MissingIn] = Field(..., min_length=1, title="需补正材料")
    note: str = Field("", max_length=2000, title="其他说明")


class SupplyIn(Schema):
    in_person: bool = Field(True, title="申请人到现场补交")
    note: str = Field("", max_length=2000, title="说明")


class TransferIn(Schema):
    unit_id: int = Field(..., title="办理单位")
    note: str = Field("", max_length=2000, title="说明")


class SuspendIn(Schema):
    kind: Literal[PauseKind.HEARING, PauseKind.TESTING, PauseKind.EXPERT_REVIEW, PauseKind.NOTICE] = Field(
        ..., title="特别程序"
    )
    reason: str = Field(..., min_length=1, max_length=2000, title="事由")


class DecideIn(Schema):
    result: Literal["granted", "granted_pending", "refused"] = Field(..., title="办理结果")
    note: str = Field("", max_length=2000, title="办理意见")
    reason: str = Field("", max_length=2000, title="不予许可理由")
    appeal_route: str = Field("", max_length=300, title="救济途径")


class DeliverIn(Schema):
    method: Literal["window", "mail", "electronic"] = Field(..., title="送达方式")
    tracking_number: str = Field("", max_length=40, title="邮寄单号")
    note: str = Field("", max_length=2000, title="说明")


class VisitIn(Schema):
    kind: Literal["apply", "supply", "collect", "enquire", "other"] = Field(..., title="到现场事由")
    note: str = Field("", max_length=2000, title="说明")


class RateIn(Schema):
    grade: int = Field(..., ge=1, le=5, title="评价等级（5 非常满意 … 1 非常不满意）")
    channel: Literal["device", "link", "phone"] = Field("phone", title="评价渠道")
    comment: str = Field("", max_length=2000, title="评价内容")


class ContactIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, title="回访情况")


class RectifyIn(Schema):
    measures: str = Field(..., min_length=1, max_length=2000, title="整改措施")


class ReviewIn(Schema):
    review: Literal["satisfied", "basically", "dissatisfied"] = Field(..., title="申请人对整改的评价")
    note: str = Field("", max_length=2000, title="说明")
