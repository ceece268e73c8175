"""The shapes of the enterprise registry API's answers, query string and bodies. Every schema name starts with
`Enterprise`: the OpenAPI document keys schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

MAX_PAGE = 200
RiskLetter = Literal["A", "B", "C", "D"]


class EnterpriseGridOut(Schema):
    id: int
    code: str
    name: str


class EnterpriseContactOut(Schema):
    """The legal representative and phone as this viewer may see them: inspectors, platform coordinators and the
    roles that call people back in full (the read is audited), everyone else masked."""

    legal_rep: str
    phone: str
    masked: bool


class EnterpriseListItemOut(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码")
    name: str
    kind: str = Field(
        description="enterprise 企业、individual 个体工商户、cooperative 农民专业合作社、branch 分支机构"
    )
    kind_label: str
    status: str = Field(description="登记状态：operating 存续、deregistered 注销、revoked 吊销")
    status_label: str
    contact: EnterpriseContactOut
    address: str
    region_code: str = Field(description="所在村（社区）12 位代码")
    grid: EnterpriseGridOut | None
    industry_code: str = Field(description="行业代码（GB/T 4754）")
    industry_name: str
    food_class: str
    key_tags: list[str] = Field(description="重点监管标签")
    risk_class: str = Field(description="现行风险分类 A（低）… D（高）：有人工调整时为调整后的分类")
    risk_overridden: bool = Field(description="风险分类经人工调整")
    abnormal: bool = Field(description="现列入经营异常名录")
    registered_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class EnterpriseListOut(Schema):
    items: list[EnterpriseListItemOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class EnterpriseListQuery(Schema):
    q: str = Field("", max_length=50, description="名称（包含）或统一社会信用代码（前缀）")
    risk_class: RiskLetter | None = Field(None, description="现行风险分类")
    status: Literal["operating", "deregistered", "revoked"] | None = Field(None, description="登记状态")
    grid: int | None = Field(None, description="网格 id")
    industry: str = Field("", pattern=r"^[A-Za-z]?\d{0,4}$", description="行业代码前缀，如 H、H62、H6210")
    key_tag: str = Field("", max_length=40, description="重点监管标签，如 cold_chain")
    abnormal: bool | None = Field(None, description="true：现列入经营异常名录；false：未列入")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class EnterpriseLicenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    expired: bool = Field(description="已过有效期（按北京时间的今天）")
    days_left: int = Field(description="距有效期届满的天数，过期为负")


class EnterpriseAbnormalListingOut(Schema):
    """An open listing in the 经营异常名录."""

    id: int
    reason: str
    reason_label: str
    triggered_on: dt.date = Field(description="事由发生日期")
    list_due_on: dt.date = Field(description="应列入期限（事由发生后 10 个工作日）")
    listed_on: dt.date
    listed_late: bool
    complied_on: dt.date | None = Field(description="履行义务日期")
    remove_due_on: dt.date | None = Field(description="应移出期限（履行义务后 5 个工作日）")
    note: str


class EnterpriseRiskFactorOut(Schema):
    points: int
    reason: str


class EnterpriseRiskOut(Schema):
    risk_class: str = Field(description="现行分类（有人工调整时为调整后的分类）")
    label: str
    computed: str = Field(description="按规则计算的分类（最近一次重算）")
    computed_label: str
    overridden: bool
    override_reason: str
    overridden_by: str | None
    overridden_at: dt.datetime | None
    factors: list[EnterpriseRiskFactorOut] = Field(description="按当前档案计算的各项因素及分值")
    points: int = Field(description="各项因素分值合计")


class EnterpriseDetailOut(EnterpriseListItemOut):
    lon: float | None
    lat: float | None
    food_class_label: str
    demonstration: str
    demonstration_label: str
    key_tag_labels: list[str]
    licences: list[EnterpriseLicenceOut]
    abnormal_listings: list[EnterpriseAbnormalListingOut] = Field(description="现列入经营异常名录的记录")
    risk: EnterpriseRiskOut
    may_override_risk: bool = Field(description="当前用户可调整风险分类")


class EnterpriseRiskOverrideIn(Schema):
    """人工调整风险分类: the class in force until cleared, with a reason."""

    risk_class: RiskLetter = Field(..., title="调整为")
    reason: str = Field(..., min_length=1, max_length=500, title="理由")

    @field_validator("reason")
    @classmethod
    def _stripped(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("调整风险分类必须填写理由")
        return value.strip()
