from ninja import Field, Schema

MAX_PAGE = 200


class PersonOut(Schema):
    id: int
    username: str
    name: str
    phone: str
    id_number: str
    role: str
    role_label: str
    unit: str | None
    region_code: str


class PeopleListOut(Schema):
    items: list[PersonOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class PeopleListQuery(Schema):
    q: str = Field("", max_length=50, description="姓名或用户名（包含）")
    role: str = Field("", max_length=32, description="角色，如 grid_worker")
    unit: int | None = Field(None, description="单位 id")
    region: str = Field("", pattern=r"^(\d{6}|\d{9}|\d{12}|\d{14,20})?$", description="区域代码（含下级）")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
