"""The inspection's request shapes (django-ninja): one small In schema per step."""

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from .choices import CheckResult, Conclusion, PenaltyKind, Procedure


class InspectionCheckIn(Schema):
    item_id: int = Field(..., title="检查事项")
    point: str = Field(..., min_length=1, max_length=300, title="检查要点")
    result: CheckResult = Field(..., title="结果")
    note: str = Field("", max_length=500, title="说明")


class InspectionFindingIn(Schema):
    item_id: int | None = Field(None, title="检查事项")
    description: str = Field(..., min_length=1, max_length=2000, title="问题描述")


class RecordIn(Schema):
    conclusion: Conclusion = Field(..., title="检查结果")
    summary: str = Field("", max_length=4000, title="检查情况")
    checklist: list[InspectionCheckIn] = Field(default_factory=list, title="检查表")
    findings: list[InspectionFindingIn] = Field(default_factory=list, title="发现问题")
    rectify_days: int | None = Field(None, title="整改期限（工作日）")


class RecheckIn(Schema):
    rectified_ids: list[int] = Field(default_factory=list, title="已整改的问题")
    note: str = Field("", max_length=2000, title="复查情况")
    rectify_days: int | None = Field(None, title="未整改问题的新期限（工作日）")


class PenaltyIn(Schema):
    decision_no: str = Field(..., min_length=1, max_length=64, title="处罚决定书文号")
    kind: PenaltyKind = Field(..., title="处罚种类")
    procedure: Procedure = Field(..., title="程序")
    amount: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2, title="罚没金额（元）")
    violation: str = Field(..., min_length=1, max_length=4000, title="违法事实")
    legal_basis: str = Field(..., min_length=1, max_length=2000, title="处罚依据")
    decided_on: dt.date = Field(..., title="决定日期")


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, title="取消理由")
