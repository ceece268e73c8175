"""The shapes of /api/v1/powers: a power in a list, a power with its discretion table, and the list's query."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from ..choices import PowerCategory

MAX_PAGE = 200


class PowerUnitOut(Schema):
    """The unit that exercises the power (实施主体)."""

    code: str
    name: str
    division_code: str = Field(description="单位所属区划代码")


class PowerOut(Schema):
    code: str = Field(description="职权编码，以职权类型代码开头")
    name: str
    category: str = Field(description="职权类型：CF 行政处罚、QZ 行政强制、JC 行政检查、QT 其他行政权力")
    category_label: str
    field: str = Field(description="执法领域，如 市容环卫")
    unit: PowerUnitOut
    published: bool = Field(description="已公布（未公布的职权只有本区域的执法相关岗位可见）")
    updated_at: dt.datetime


class DiscretionOut(Schema):
    level: str = Field(
        description="裁量阶次：none 不予处罚、mitigated 减轻、lighter 从轻、general 一般、heavier 从重"
    )
    level_label: str
    circumstances: str = Field(description="适用情形")
    min: float | None = Field(description="最低罚款金额（元）；空为不设")
    max: float | None = Field(description="最高罚款金额（元）；空为不设")
    measure: str = Field(description="处罚标准")


class PowerDetailOut(PowerOut):
    violation: str = Field(description="违法行为")
    basis: str = Field(description="设定依据（违则）")
    penalty_basis: str = Field(description="处罚依据（罚则）")
    discretion: list[DiscretionOut] = Field(description="裁量基准，由轻到重")


class PowerListOut(Schema):
    items: list[PowerOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class PowerListQuery(Schema):
    q: str = Field("", max_length=60, description="搜索编码、名称、违法行为、领域（多个词须同时匹配）")
    category: PowerCategory | None = Field(None, description="职权类型")
    field: str = Field("", max_length=60, description="执法领域（完全一致）")
    unit: str = Field("", max_length=32, description="实施主体的单位编码")
    township: str = Field("", pattern=r"^(\d{6}|\d{9})?$", description="实施主体所在区划代码（6 或 9 位）")
    published: bool | None = Field(None, description="只列已公布（true）或未公布（false）的职权")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
