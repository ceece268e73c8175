"""The input of each dispute step, as the API and the page's forms take it (`dispute_steps.py`)."""

import datetime as dt

from ninja import Field, Schema

from .choices import ConfirmationResult, DisputeOutcome, Performance, ReferralRoute, RiskLevel


class DisputeNoteIn(Schema):
    note: str = Field("", max_length=2000, title="说明")


class DisputeAcceptIn(Schema):
    mediator_ids: list[int] = Field(..., title="调解员")
    note: str = Field("", max_length=2000, title="说明")


class DisputeReasonIn(Schema):
    reason: str = Field(..., max_length=2000, title="理由")


class DisputeRiskIn(Schema):
    level: RiskLevel = Field(..., title="风险等级")
    police_unit_id: int | None = Field(None, title="报告的派出所")
    note: str = Field("", max_length=2000, title="说明")


class DisputeSessionIn(Schema):
    held_at: dt.datetime = Field(..., title="调解时间")
    place: str = Field(..., max_length=200, title="调解地点")
    attendees: str = Field("", max_length=1000, title="参加人员")
    minutes: str = Field(..., max_length=8000, title="调解记录")
    mediator_ids: list[int] = Field(default_factory=list, title="主持调解员")


class DisputeExtendIn(Schema):
    days: int = Field(..., title="延长天数")
    parties_agreed: bool = Field(..., title="各方当事人同意延长")
    reason: str = Field(..., max_length=2000, title="理由")


class DisputeAgreeIn(Schema):
    outcome: DisputeOutcome = Field(..., title="协议形式")
    terms: str = Field(..., max_length=8000, title="协议内容")
    responsibilities: str = Field("", max_length=4000, title="当事人各方的责任")
    performance_manner: str = Field("", max_length=1000, title="履行方式")
    performance_place: str = Field("", max_length=200, title="履行地点")
    performance_due_on: dt.date | None = Field(None, title="履行期限")


class DisputeFailIn(Schema):
    reason: str = Field(..., max_length=2000, title="调解不成的原因")
    route: ReferralRoute = Field(..., title="告知当事人的其他途径")
    route_note: str = Field("", max_length=1000, title="途径说明")


class DisputeApplyConfirmationIn(Schema):
    applied_on: dt.date = Field(..., title="申请日期")
    court: str = Field(..., max_length=200, title="受理的人民法院")


class DisputeRecordConfirmationIn(Schema):
    result: ConfirmationResult = Field(..., title="确认结果")
    decided_on: dt.date = Field(..., title="裁定日期")
    number: str = Field("", max_length=100, title="裁定书文号")


class DisputeFollowUpIn(Schema):
    visited_on: dt.date = Field(..., title="回访日期")
    performance: Performance = Field(..., title="履行情况")
    note: str = Field("", max_length=2000, title="回访情况")
