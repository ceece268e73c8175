"""Answers of the assessment API (/api/v1/indicators, /api/v1/assessment-results): the figures of the pages."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

PERIOD_HELP = "统计周期：2026-03-05、2026-W10、2026-03、2026-Q1、2026、2026-03-01~2026-03-15；默认本月"
AREA_HELP = "区划代码（区县 6 位、乡镇 9 位、村社区 12 位），须在您的范围内；默认您的范围"


class AssessmentIndicatorQuery(Schema):
    subject: str = Field(
        "", description="考核对象：district / township / village / grid / platform / unit / person"
    )
    period: str = Field("", max_length=24, description=PERIOD_HELP)
    area: str = Field("", max_length=12, description=AREA_HELP)
    sort: str = Field("", max_length=32, description="排名依据的指标代码；默认按期结案率")
    key: str = Field("", max_length=32, description="只要这一个对象（对象标识 key）")


class AssessmentResultQuery(Schema):
    scheme: str = Field(description="考核方案代码，如 township、zhenhai-agency")
    period: str = Field("", max_length=24, description=PERIOD_HELP)
    area: str = Field("", max_length=12, description=AREA_HELP)


class AssessmentPeriodOut(Schema):
    key: str = Field(description="如 2026-03、2026-W10、2026-Q1、2026、2026-03-05、2026-03-01~2026-03-15")
    kind: str
    label: str
    start: dt.datetime = Field(description="含（北京时间零点）")
    end: dt.datetime = Field(description="不含")


class AssessmentAreaOut(Schema):
    code: str = Field(description="区划代码；空为全部")
    name: str


class AssessmentIndicatorDefOut(Schema):
    code: str
    label: str
    numerator: str
    denominator: str
    higher_is_better: bool
    definition: str


class AssessmentRateOut(Schema):
    numerator: int
    denominator: int
    percent: Decimal | None = Field(description="百分比，两位小数；分母为 0 时为空（页面显示“—”）")


class AssessmentSubjectOut(Schema):
    key: str = Field(description="对象标识：区划/网格/单位/人员的 id，平台类型，或区县代码")
    name: str = Field(description="人员按角色脱敏")
    code: str
    parent: str


class AssessmentIndicatorRowOut(Schema):
    subject: AssessmentSubjectOut
    rank: int | None
    previous_rank: int | None
    counts: dict[str, int]
    rates: dict[str, AssessmentRateOut]


class AssessmentIndicatorTableOut(Schema):
    period: AssessmentPeriodOut
    area: AssessmentAreaOut
    subject_kind: str
    sort: str = Field(description="排名依据的指标")
    as_of: dt.datetime = Field(description="计算时刻：统计窗口截至此刻")
    indicators: list[AssessmentIndicatorDefOut]
    items: list[AssessmentIndicatorRowOut]


class AssessmentPartItemOut(Schema):
    indicator: str
    weight: Decimal
    rate: Decimal | None
    value: Decimal | None = Field(description="计分值：越低越好的指标为 1 − rate")


class AssessmentPartAdjustmentOut(Schema):
    basis: str
    direction: str
    count: int
    points: Decimal


class AssessmentPartScoreOut(Schema):
    part_id: int
    name: str
    weight: Decimal
    method: str
    base: Decimal | None
    deductions: Decimal
    bonuses: Decimal
    score: Decimal | None
    raters: int
    items: list[AssessmentPartItemOut]
    adjustments: list[AssessmentPartAdjustmentOut]


class AssessmentResultRowOut(Schema):
    subject: AssessmentSubjectOut
    score: Decimal | None = Field(description="总分；有部分未评分时为空（待评）")
    grade: str
    rank: int | None
    previous_rank: int | None
    previous_score: Decimal | None
    parts: list[AssessmentPartScoreOut]
    counts: dict[str, int]


class AssessmentSchemeOut(Schema):
    code: str
    name: str
    subject_kind: str
    unit_kind: str
    agency_class: str
    description: str


class AssessmentResultTableOut(Schema):
    scheme: AssessmentSchemeOut
    period: AssessmentPeriodOut
    area: AssessmentAreaOut
    as_of: dt.datetime
    published: bool = Field(description="true：已发布冻结的结果；false：按当前记录实时计算")
    version: int | None = Field(description="已发布结果的版本（重新计算后递增）")
    items: list[AssessmentResultRowOut]
