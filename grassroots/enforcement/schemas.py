"""An enforcement case's request shapes (django-ninja): one small In schema per step."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from .choices import (
    CaseOutcome,
    CasePenaltyKind,
    DiscretionLevel,
    EvidenceKind,
    ExecutionManner,
    FilingCondition,
    NoFilingGround,
    ServiceMethod,
)


def money() -> Any:
    """A fine in yuan, to the fen (a fresh field each time: one FieldInfo per schema field)."""
    return Field(None, ge=0, max_digits=12, decimal_places=2, title="罚款金额（元）")


class NoteIn(Schema):
    note: str = Field("", max_length=2000, title="说明")


class ApproveFilingIn(Schema):
    conditions: list[FilingCondition] = Field(..., title="立案条件（四项均须符合）")
    note: str = Field("", max_length=2000, title="审批意见")


class RefuseFilingIn(Schema):
    ground: NoFilingGround = Field(..., title="不予立案理由")
    reason: str = Field("", max_length=2000, title="说明")


class ExtendIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, title="延长理由")
    requested_by_id: int | None = Field(None, title="申请人")


class OnSpotIn(Schema):
    penalty_kind: CasePenaltyKind = Field(..., title="处罚种类（警告或罚款）")
    amount: Decimal | None = money()
    level: DiscretionLevel | None = Field(None, title="裁量阶次")
    form_number: str = Field(..., min_length=1, max_length=64, title="当场处罚决定书编号")
    recipient: str = Field(..., min_length=1, max_length=100, title="受送达人")
    note: str = Field("", max_length=2000, title="说明")


class EvidenceIn(Schema):
    kind: EvidenceKind = Field(..., title="证据类型")
    description: str = Field("", max_length=4000, title="证明对象/说明")
    lon: float | None = Field(None, title="经度")
    lat: float | None = Field(None, title="纬度")
    taken_at: dt.datetime | None = Field(None, title="取证时间")


class ProposeIn(Schema):
    penalty_kind: CasePenaltyKind = Field(..., title="处罚种类")
    level: DiscretionLevel = Field(..., title="裁量阶次")
    amount: Decimal | None = money()
    reason: str = Field("", max_length=2000, title="超出裁量幅度的理由")
    approver_id: int | None = Field(None, title="批准超幅度的负责人")
    note: str = Field("", max_length=2000, title="调查终结意见")


class ReviewIn(Schema):
    opinion: str = Field(..., min_length=1, max_length=4000, title="法制审核意见")


class ScheduleHearingIn(Schema):
    notice_on: dt.date = Field(..., title="听证通知日期")
    hearing_on: dt.date = Field(..., title="听证日期")
    place: str = Field(..., min_length=1, max_length=200, title="听证地点")
    chair_id: int = Field(..., title="听证主持人")


class HoldHearingIn(Schema):
    record: str = Field("", max_length=8000, title="听证笔录摘要")
    party_absent: bool = Field(False, title="当事人无正当理由未到场")


class DiscussIn(Schema):
    discussion: str = Field(..., min_length=1, max_length=8000, title="集体讨论记录")
    waived: bool = Field(False, title="当事人已书面放弃陈述、申辩和听证")


class DecideIn(Schema):
    outcome: CaseOutcome = Field(..., title="处理结果")
    penalty_kind: CasePenaltyKind | None = Field(None, title="处罚种类")
    level: DiscretionLevel | None = Field(None, title="裁量阶次")
    amount: Decimal | None = money()
    reason: str = Field("", max_length=2000, title="超出裁量幅度的理由")
    waived: bool = Field(False, title="当事人已书面放弃陈述、申辩和听证")
    note: str = Field("", max_length=2000, title="说明")


class ServeIn(Schema):
    method: ServiceMethod = Field(..., title="送达方式")
    recipient: str = Field(..., min_length=1, max_length=100, title="受送达人")
    served_at: dt.datetime | None = Field(None, title="送达时间")


class ExecuteIn(Schema):
    manner: ExecutionManner = Field(..., title="执行方式")
    paid_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2, title="实缴金额（元）")
    paid_on: dt.date | None = Field(None, title="缴款日期")
    note: str = Field("", max_length=2000, title="说明")


class CloseIn(Schema):
    report: str = Field(..., min_length=1, max_length=8000, title="结案报告")
