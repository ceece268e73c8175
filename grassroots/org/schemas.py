"""Answers of the organisation API (/api/v1/units, /api/v1/platforms, /api/v1/teams)."""

import datetime as dt

from ninja import Field, Schema

MAX_PAGE = 200


class OrgUnitRefOut(Schema):
    id: int
    code: str
    name: str


class OrgUnitPlatformOut(Schema):
    id: int
    kind: str
    township_code: str


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="county_department / dispatched_agency / township_office / ...")
    kind_label: str
    agency_class: str = Field(description="派驻机构类别 A / B；其他单位为空")
    division_code: str
    division_name: str
    parent: OrgUnitRefOut | None = Field(description="派驻机构的县级主管部门")
    is_active: bool
    platforms: list[OrgUnitPlatformOut] = Field(description="作为成员单位所在的平台")


class OrgUnitListOut(Schema):
    items: list[OrgUnitOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class OrgUnitQuery(Schema):
    kind: str = Field("", max_length=32, description="单位类型")
    division: str = Field("", pattern=r"^(\d{6}|\d{9}|\d{12})?$", description="区划代码（含下级）")
    q: str = Field("", max_length=50, description="名称（包含）或单位编码（前缀）")
    active: bool | None = Field(True, description="true：只列启用的单位；false：只列停用的；不传：全部")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class OrgPlatformOut(Schema):
    id: int
    kind: str = Field(description="governance / market / enforcement / service")
    kind_label: str
    township_code: str
    township_name: str
    lead_unit: OrgUnitRefOut | None
    office: OrgUnitRefOut | None
    members: list[OrgUnitRefOut]


class OrgPlatformListOut(Schema):
    items: list[OrgPlatformOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class OrgPlatformQuery(Schema):
    township: str = Field("", pattern=r"^(\d{9})?$", description="乡镇街道代码")
    kind: str = Field("", max_length=16, description="平台类型")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class OrgTeamMemberOut(Schema):
    person_id: int
    name: str = Field(description="按角色脱敏，如 王*丽")
    phone: str = Field(description="按角色脱敏，如 138****5678")
    role: str = Field(description="head / instructor / worker / part_time / volunteer")
    role_label: str
    start: dt.date
    end: dt.date | None


class OrgTeamOut(Schema):
    grid_id: int
    grid_code: str
    grid_name: str
    village_code: str
    members: list[OrgTeamMemberOut] = Field(description="今天在岗的成员（1+1+1+X）")


class OrgTeamListOut(Schema):
    items: list[OrgTeamOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class OrgTeamQuery(Schema):
    village: str = Field("", pattern=r"^(\d{12})?$", description="村社区代码")
    grid: str = Field("", pattern=r"^(\d{14,20})?$", description="网格代码")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
